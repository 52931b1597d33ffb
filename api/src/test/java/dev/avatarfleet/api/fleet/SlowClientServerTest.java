package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.store.TaskQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle their request a byte at a time (the request line, the headers, or a
 * declared body) are cut off within API_REQUEST_READ_TIMEOUT_SECONDS, while the node goes on
 * serving /health and a real /launch; a trickler never gets an answer and stores nothing.
 */
class SlowClientServerTest {
    static final int READ_TIMEOUT_SECONDS = 3;

    /** A client sending {@code head} at once, then {@code trickled} one byte every 100 ms until the server closes the connection. */
    static final class Trickler implements AutoCloseable {
        final Socket socket;
        final AtomicBoolean cut = new AtomicBoolean();
        final AtomicReference<String> answer = new AtomicReference<>("");
        final Thread writer;
        final Thread reader;

        Trickler(int port, String head, String trickled) throws IOException {
            socket = new Socket("127.0.0.1", port);
            byte[] bytes = trickled.getBytes(StandardCharsets.US_ASCII);
            writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (byte b : bytes) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection, or the test ended
                }
            });
            reader = Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] got = in.readAllBytes();
                    answer.set(new String(got, StandardCharsets.UTF_8));
                } catch (IOException reset) {
                    // a reset is a cut too
                }
                cut.set(true);
            });
        }

        @Override
        public void close() throws IOException {
            writer.interrupt();
            socket.close();
        }
    }

    @Test
    void tricklersAreCutOffWhileOtherRequestsAreServed() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node(Map.of("API_REQUEST_READ_TIMEOUT_SECONDS", Integer.toString(READ_TIMEOUT_SECONDS)));
            String token = TestTokens.avatar("slow-room", "a");
            String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"slow-room\"}";
            String body = json + " ".repeat(2000);
            List<Trickler> tricklers = new ArrayList<>();
            try {
                String launchHead = "POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
                StringBuilder chunked = new StringBuilder();
                for (char c : body.toCharArray()) {
                    chunked.append("1\r\n").append(c).append("\r\n");
                }
                for (int i = 0; i < 3; i++) {
                    // the headers at once, then the body a byte at a time (minutes at this pace): declared, and chunked
                    tricklers.add(new Trickler(node.port(), launchHead + "Content-Length: " + body.length() + "\r\n\r\n", body));
                    tricklers.add(new Trickler(node.port(), launchHead + "Transfer-Encoding: chunked\r\n\r\n", chunked.toString()));
                    // the request line at once, then the headers a byte at a time
                    tricklers.add(new Trickler(node.port(), "GET /health HTTP/1.1\r\n",
                            "Host: 127.0.0.1\r\nX-Slow: " + "s".repeat(5000) + "\r\n\r\n"));
                }
                for (int i = 0; i < 2; i++) {
                    // the request line itself a byte at a time
                    tricklers.add(new Trickler(node.port(), "", "GET /health?" + "q".repeat(3000) + " HTTP/1.1\r\n\r\n"));
                }

                // meanwhile, ordinary requests are answered
                HttpResponse<String> health = fleet.get(node, "/health");
                assertEquals(200, health.statusCode(), health.body());
                HttpResponse<String> launch = fleet.send(node, HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + node.port() + "/launch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
                assertEquals(200, launch.statusCode(), launch.body());
                assertTrue(tricklers.stream().noneMatch(t -> t.cut.get()), "the tricklers were still connected meanwhile");

                // why: the deadline, plus one idle check period (1 s here) for the request-line tricklers, plus slack
                Awaitility.await().atMost(Duration.ofSeconds(READ_TIMEOUT_SECONDS + 8))
                        .until(() -> tricklers.stream().allMatch(t -> t.cut.get()));
                for (Trickler t : tricklers) {
                    assertTrue(!t.answer.get().startsWith("HTTP/1.1 2"), "a trickler was answered: " + t.answer.get());
                }
                // only the ordinary launch made a task
                assertEquals(1, fleet.controlPlane.store().list(TaskQuery.all()).total());
                assertEquals(200, fleet.get(node, "/health").statusCode());
            } finally {
                for (Trickler t : tricklers) {
                    t.close();
                }
            }
        }
    }

}
