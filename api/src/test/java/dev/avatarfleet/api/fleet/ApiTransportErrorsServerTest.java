package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.store.TaskQuery;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Refusals that happen in the HTTP layer of a real server, below the routing: a declared body over
 * MAX_UPLOAD_BYTES, a chunked body that grows past it, a malformed request. Each answer is JSON.
 */
class ApiTransportErrorsServerTest {

    @Test
    void oversizedAndMalformedRequestsGetJsonAnswers() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node(Map.of("MAX_UPLOAD_BYTES", "65536", "MAX_IMAGE_BYTES", "32768"));

            String declared = exchange(node, "POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\nConnection: close\r\n\r\n", new byte[0]);
            assertJson(declared, 413);

            // chunked, no length: refused while reading once the body passes the limit
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            String token = TestTokens.avatar("r", "a");
            byte[] start = ("{\"livekit_url\":\"ws://h:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"r\",\"image\":\"")
                    .getBytes(StandardCharsets.US_ASCII);
            chunk(chunked, start);
            byte[] filler = "A".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 12; i++) {
                chunk(chunked, filler);
            }
            chunk(chunked, "\"}".getBytes(StandardCharsets.US_ASCII));
            chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String streamed = exchange(node, "POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunked.toByteArray());
            assertJson(streamed, 413);

            String garbage = exchange(node, "NOT-HTTP\r\n\r\n", new byte[0]);
            assertJson(garbage, 400);

            assertEquals(0, fleet.controlPlane.store().list(TaskQuery.all()).total());
        }
    }

    @Test
    void aBodyThatEndsBeforeItsContentLengthIs400NotA500() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node(Map.of());
            String token = TestTokens.avatar("r", "a");
            // a client that sends less than it declared and stops sending (an upload cut short)
            String json = "{\"livekit_url\":\"ws://h:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"r\"";
            String cut = exchangeHalfClosed(node, "POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (json.length() + 100) + "\r\nConnection: close\r\n\r\n", json.getBytes(StandardCharsets.US_ASCII));
            assertJson(cut, 400);
            String multipart = "--XX\r\nContent-Disposition: form-data; name=\"room_name\"\r\n\r\nr\r\n--XX\r\nContent-Disp";
            String cutForm = exchangeHalfClosed(node, "POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=XX\r\n"
                    + "Content-Length: 500\r\nConnection: close\r\n\r\n", multipart.getBytes(StandardCharsets.US_ASCII));
            assertJson(cutForm, 400);
            assertEquals(0, fleet.controlPlane.store().list(TaskQuery.all()).total());
        }
    }

    private static String exchangeHalfClosed(ApiNode node, String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void chunk(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertJson(String response, int status) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        String lower = response.toLowerCase();
        assertTrue(lower.contains("content-type: application/json"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("\"reason\""), response);
        assertTrue(!body.contains("Exception") && !body.contains("<html"), response);
    }

    private static String exchange(ApiNode node, String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // why: the server may answer and close before the whole body is sent; the answer is what counts
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) != -1; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd > 0) {
                        var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
                        if (m.find() && got.size() >= headEnd + 4 + Integer.parseInt(m.group(1))) {
                            break;
                        }
                    }
                }
            } catch (java.net.SocketException reset) {
                // the answer was read before the reset
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
