package dev.avatarfleet.worker.render.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.model.ModelFixture;
import io.helidon.webserver.WebServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /benchmark and /test-frame on a real Helidon server on a free 127.0.0.1 port. */
class RenderHttpServiceTest {

    private static final int SIZE = 128;
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        var preparer = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, SIZE, SIZE, 8);
        var service = new RenderHttpService(ModelFixture.model(SIZE, SIZE), preparer, 2, ImageLimits.DEFAULT_MAX_BYTES);
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register(service)).build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    @Test
    void benchmarkMeasuresTheConfiguredBatch() throws Exception {
        var res = send(at("/benchmark?iterations=3").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, res.statusCode(), new String(res.body()));
        JsonNode body = JSON.readTree(res.body());
        assertEquals(3, body.get("iterations").asInt());
        assertEquals(2, body.get("frames_per_generate").asInt());
        assertTrue(body.get("avg_ms").asDouble() > 0);
        double fps = body.get("fps").asDouble();
        assertEquals(2 * 1000 / body.get("avg_ms").asDouble(), fps, fps * 0.02);
        assertEquals("cpu", body.get("gpu").asText());
        assertEquals(0.0, body.get("vram_gb").asDouble());
        assertEquals("CPU", body.get("device").asText());
    }

    @Test
    void benchmarkRefusesBadIterations() throws Exception {
        for (String q : new String[] {"0", "1001", "ten", "-5"}) {
            var res = send(at("/benchmark?iterations=" + q).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(400, res.statusCode());
            assertEquals("invalid_iterations", JSON.readTree(res.body()).get("error").asText());
        }
    }

    @Test
    void testFrameIsAJpegOfTheAvatar() throws Exception {
        var res = send(at("/test-frame").GET());
        assertEquals(200, res.statusCode());
        assertEquals("image/jpeg", res.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(res.body()));
        assertEquals(SIZE, img.getWidth());
        assertEquals(SIZE, img.getHeight());
    }

    @Test
    void testFrameTakesAnImageAsBodyOrMultipart() throws Exception {
        BufferedImage src = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
        var g = src.createGraphics();
        g.setColor(java.awt.Color.GREEN);
        g.fillRect(0, 0, 200, 160);
        g.dispose();
        var out = new ByteArrayOutputStream();
        ImageIO.write(src, "png", out);
        byte[] png = out.toByteArray();

        var raw = send(at("/test-frame").header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)));
        assertEquals(200, raw.statusCode());
        assertTrue(raw.headers().firstValue("X-Avatar-Warnings").orElse("").contains("centred crop"));
        int rgb = ImageIO.read(new ByteArrayInputStream(raw.body())).getRGB(SIZE / 2, SIZE / 4);
        assertTrue(((rgb >> 8) & 0xFF) > 200 && ((rgb >> 16) & 0xFF) < 60, "the uploaded green avatar was rendered");

        String boundary = "xYzBoundary42";
        var mp = new ByteArrayOutputStream();
        mp.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
        mp.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"avatar_image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        mp.writeBytes(png);
        mp.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        var multi = send(at("/test-frame").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mp.toByteArray())));
        assertEquals(200, multi.statusCode(), new String(multi.body()));
        assertEquals("image/jpeg", multi.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void testFrameRefusesABadImageWithItsReason() throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "png", out);
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 10);
        var res = send(at("/test-frame").POST(HttpRequest.BodyPublishers.ofByteArray(cut)));
        assertEquals(400, res.statusCode());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("invalid_image", body.get("error").asText());
        assertTrue(body.get("reason").asText().contains("truncated"), body.toString());
    }

    @Test
    void testFrameStripIsAPngGrid() throws Exception {
        var res = send(at("/test-frame?strip=10").GET());
        assertEquals(200, res.statusCode());
        BufferedImage strip = ImageIO.read(new ByteArrayInputStream(res.body()));
        assertEquals(5 * SIZE, strip.getWidth());
        assertEquals(2 * SIZE, strip.getHeight());
        assertEquals(400, send(at("/test-frame?strip=99").GET()).statusCode());
    }
}
