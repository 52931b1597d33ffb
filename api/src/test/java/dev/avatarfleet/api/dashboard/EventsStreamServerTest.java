package dev.avatarfleet.api.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} on a real API node (real broker and redis-server) whose fleet does not change: a stream whose
 * client went away ends and frees its slot within seconds, not after the stream's 10 minutes (a quiet fleet sends no
 * event, so only the keep-alive comment finds out); while every slot is taken, one more stream is refused 429.
 */
class EventsStreamServerTest {

    @Test
    void aStreamWhoseClientLeftFreesItsSlotWhileTheFleetIsQuiet() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            // why: no worker, no task: nothing on the page changes, so no event is sent after the first ones
            ApiNode node = fleet.node();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < EventsService.MAX_STREAMS; i++) {
                    Socket s = open(node);
                    clients.add(s);
                    String head = readUntil(s, "event:tasks");
                    assertTrue(head.startsWith("HTTP/1.1 200"), head);
                }
                assertTrue(statusOfOneMore(node).startsWith("HTTP/1.1 429"), "every slot is taken");
                // the stream carries a comment line while nothing changes
                assertTrue(readUntil(clients.get(0), "\n:\n").contains("\n:\n"));
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            // why: each handler's next writes fail once its client is gone; until then one more is still refused
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> statusOfOneMore(node).startsWith("HTTP/1.1 200"));
            assertEquals(200, fleet.get(node, "/health").statusCode());
        }
    }

    private static Socket open(ApiNode node) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", node.port()), 2000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Opens one more stream and answers its status line, then leaves. */
    private static String statusOfOneMore(ApiNode node) throws IOException {
        try (Socket s = open(node)) {
            String head = readUntil(s, "\r\n");
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    /** Reads from {@code s} until {@code marker} has been read (bounded by the socket's read timeout). */
    private static String readUntil(Socket s, String marker) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker, Math.max(0, seen.length() - marker.length())) < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            // why: the markers are ASCII; a JSON body's other bytes only need to be skipped
            seen.append((char) b);
        }
        return seen.toString();
    }
}
