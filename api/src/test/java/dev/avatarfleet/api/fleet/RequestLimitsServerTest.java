package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.common.store.TaskQuery;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds a real API node puts on a request before routing: the request line
 * (API_MAX_REQUEST_LINE_BYTES, 414), the headers' size (API_MAX_HEADER_BYTES, 431) and their number
 * (API_MAX_HEADER_COUNT, 431). Each refusal is a JSON error; nothing is stored; a request just under
 * each bound is served.
 */
class RequestLimitsServerTest {
    static FleetFixture fleet;
    static ApiNode node;

    @BeforeAll
    static void start() {
        fleet = new FleetFixture();
        node = fleet.node(Map.of("API_MAX_REQUEST_LINE_BYTES", "512", "API_MAX_HEADER_BYTES", "2048",
                "API_MAX_HEADER_COUNT", "20"));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aRequestLineOverTheLimitIs414() throws Exception {
        String path = "/health?pad=" + "r".repeat(600);
        assertJson(exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 414,
                "\"request_line_too_long\"");
        String shortPath = "/health?pad=" + "r".repeat(400);
        assertServed(exchange("GET " + shortPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void headersOverTheSizeLimitAre431() throws Exception {
        String big = "X-Filler: " + "f".repeat(3000) + "\r\n";
        String answer = exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + big + "Connection: close\r\n\r\n");
        assertJson(answer, 431, "\"headers_too_large\"");
        String fits = "X-Filler: " + "f".repeat(1500) + "\r\n";
        assertServed(exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fits + "Connection: close\r\n\r\n"));
    }

    @Test
    void moreHeadersThanTheCountLimitAre431() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertJson(exchange("POST /launch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + many
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}"), 431, "\"headers_too_large\"");
        StringBuilder some = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            some.append("X-H").append(i).append(": v\r\n");
        }
        assertServed(exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + some + "Connection: close\r\n\r\n"));
        assertEquals(0, fleet.controlPlane.store().list(TaskQuery.all()).total());
    }

    static void assertServed(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }

    static void assertJson(String response, int status, String reasonContains) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        assertTrue(response.toLowerCase().contains("content-type: application/json"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("\"reason\"") && body.contains(reasonContains), response);
        assertTrue(!body.contains("Exception") && !body.contains("<html"), response);
    }

    static String exchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // why: the server may answer and close before the whole request is written; the answer is what counts
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                // why: after a refused request line Helidon may keep the connection; read the one answer, by its length
                for (int n; (n = in.read(buf)) != -1; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int headEnd = text.indexOf("\r\n\r\n");
                    var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
                    if (headEnd > 0 && m.find() && got.size() >= headEnd + 4 + Integer.parseInt(m.group(1))) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // the answer was read before the reset
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
