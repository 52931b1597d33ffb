package dev.avatarfleet.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.node.WorkerComponents;
import dev.avatarfleet.worker.node.WorkerNode;
import dev.avatarfleet.worker.render.RenderSettings;
import dev.avatarfleet.worker.render.model.ModelSignatureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's {@code POST /benchmark} and {@code GET /test-frame}, asked of an API node and answered
 * by a worker wired exactly as {@link WorkerMain} wires it: the real TensorFlow model, measured for
 * real. Before the warm-up the worker's own routes say {@code not_ready}; afterwards the API picks
 * a ready worker, or the one named by {@code ?worker=}.
 */
class RenderThroughApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 128;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(180)
    void benchmarkAndTestFrameThroughTheApiAreTheWorkersRealFigures(@TempDir Path tmp) throws Exception {
        String prefix = TestServers.uniquePrefix("render-api");
        Map<String, String> env = TestServers.fleetEnvironment(prefix);
        env.put("HEARTBEAT_INTERVAL_MS", "300");
        env.put("API_HOST", "127.0.0.1");
        env.put("API_PORT", "0");
        env.put("WORKER_HOST", "127.0.0.1");
        env.put("WORKER_PORT", "0");
        env.put("WORKER_ID", prefix + "worker");
        env.put("MAX_SESSIONS", "2");
        env.put("DRAIN_TIMEOUT", "1");
        env.put("VIDEO_WIDTH", String.valueOf(SIZE));
        env.put("VIDEO_HEIGHT", String.valueOf(SIZE));
        env.put("MODEL_DIR", tmp.resolve("model").toString());

        FleetSettings fleet = FleetSettings.fromEnvironment(new Env(env));
        WorkerSettings workerSettings = WorkerSettings.fromEnvironment(new Env(env));
        AtomicReference<ModelSignatureException> unusable = new AtomicReference<>();
        AvatarRuntime runtime = new AvatarRuntime(workerSettings, RenderSettings.fromEnvironment(new Env(env), workerSettings.maxSessions()), unusable::set);
        // why: the runtime's warm-up is run by the test, after the worker's not_ready answer has been seen
        var components = new WorkerComponents(runtime, () -> { }, runtime.components().httpServices());
        ControlPlane workerPlane = ControlPlane.connect(fleet, Clock.systemUTC());
        WorkerNode worker = WorkerNode.start(workerSettings, workerPlane, components, Clock.systemUTC());
        ControlPlane plane = ControlPlane.connect(fleet, Clock.systemUTC());
        ApiNode api = ApiNode.start(ApiSettings.from(env), plane, Clock.systemUTC());
        String apiUrl = "http://127.0.0.1:" + api.port();
        try {
            HttpResponse<String> early = http.send(post(worker.url() + "/benchmark?iterations=1"), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, early.statusCode(), early.body());
            assertEquals("not_ready", JSON.readTree(early.body()).get("status").asText());

            runtime.warmUp();
            assertNull(unusable.get());

            HttpResponse<String> bench = http.send(post(apiUrl + "/benchmark?iterations=3"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, bench.statusCode(), bench.body());
            JsonNode b = JSON.readTree(bench.body());
            for (String field : List.of("iterations", "frames_per_generate", "avg_ms", "fps", "vram_gb", "gpu")) {
                assertNotNull(b.get(field), field + " in " + b);
            }
            assertEquals(3, b.get("iterations").asInt());
            assertEquals(2, b.get("frames_per_generate").asInt(), "measured on the worker's batch: its MAX_SESSIONS");
            assertTrue(b.get("avg_ms").asDouble() > 0, b.toString());
            double expectedFps = 1000.0 * b.get("frames_per_generate").asInt() / b.get("avg_ms").asDouble();
            assertEquals(expectedFps, b.get("fps").asDouble(), expectedFps * 0.05, "fps is frames per call over the call's time");
            assertEquals(workerSettings.workerId(), bench.headers().firstValue("X-Worker-Id").orElseThrow());

            HttpResponse<byte[]> frame = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/test-frame?worker="
                    + workerSettings.workerId())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, frame.statusCode());
            assertEquals("image/jpeg", frame.headers().firstValue("Content-Type").orElseThrow());
            BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(frame.body()));
            assertEquals(SIZE, jpeg.getWidth());
            assertEquals(SIZE, jpeg.getHeight());

            HttpResponse<String> refused = http.send(post(apiUrl + "/benchmark?iterations=5000"), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode(), refused.body());
        } finally {
            api.close();
            plane.close();
            worker.close();
            runtime.close();
            workerPlane.close();
        }
    }

    private static HttpRequest post(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }
}
