package dev.avatarfleet.worker.render;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;
import dev.avatarfleet.worker.render.loop.RenderSlot;
import dev.avatarfleet.worker.render.model.ComputeDevice;
import dev.avatarfleet.worker.render.model.ModelSignatureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderEngineTest {

    @Test
    void startsFromSettingsAndRendersAttachedSessionsOnTheRealClock(@TempDir Path dir) {
        var settings = RenderSettings.fromEnvironment(new Env(Map.of("MODEL_DIR", dir.resolve("model").toString(),
                "VIDEO_WIDTH", "128", "VIDEO_HEIGHT", "96", "TF_INTRA_OP_THREADS", "1")), 2);
        try (RenderEngine engine = RenderEngine.start(settings)) {
            assertTrue(Files.isRegularFile(dir.resolve("model/saved_model.pb")));
            PreparedAvatar avatar = engine.preparer().prepare(null);
            List<RenderedFrame> frames = new CopyOnWriteArrayList<>();
            try (RenderSlot slot = engine.renderer().attach("s1", avatar, new SyntheticSpeech(), frames::add)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 10);
            }
            RenderedFrame f = frames.get(5);
            assertEquals(128, f.width());
            assertEquals(96, f.height());
            assertEquals(128 * 96 * 3 / 2, f.i420().length);
            assertEquals(5, f.tick());
            // why: holds on a CPU host and on a GPU one: the engine says which device it runs on, consistently
            ComputeDevice device = engine.model().device();
            assertEquals(device.gpu(), !"cpu".equals(device.name()), device.toString());
            assertEquals(device.gpu() ? "GPU:0 (" + device.name() + ")" : "CPU", device.description());
        }
    }

    @Test
    void aBadModelDirStopsTheStartWithTheReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README"), "no model here");
        var e = assertThrows(ModelSignatureException.class,
                () -> RenderEngine.start(RenderSettings.fromEnvironment(new Env(Map.of("MODEL_DIR", dir.toString())), 2)));
        assertTrue(e.getMessage().contains("MODEL_DIR " + dir), e.getMessage());
    }

    @Test
    void badSettingsNameTheVariable() {
        for (var bad : List.of(Map.of("VIDEO_WIDTH", "511"), Map.of("VIDEO_HEIGHT", "abc"),
                Map.of("IMAGE_MAX_PIXELS", "-1"))) {
            var e = assertThrows(IllegalArgumentException.class, () -> RenderSettings.fromEnvironment(new Env(bad), 8));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next().replace("VIDEO_WIDTH", "VIDEO_")), e.getMessage());
        }
        RenderSettings d = RenderSettings.fromEnvironment(new Env(Map.of()), 8);
        assertEquals(512, d.width());
        assertEquals(512, d.height());
        assertEquals(8, d.batchSize());
    }
}
