package dev.avatarfleet.devroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.testkit.LiveKitClientPage;
import dev.avatarfleet.testkit.MediaNetwork;
import dev.avatarfleet.testkit.NodeScript;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official {@code livekit-client} (2.23.0, UMD build) in headless Debian Chromium driven by Playwright joins
 * a dev room and renders the video an {@code @livekit/rtc-node} participant publishes: the canvas snapshot has
 * non-black pixels (ops/sdk-tests/browser-room.mjs, page ops/sdk-tests/browser/index.html).
 */
@Tag("media")
class DevRoomBrowserTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void browserRendersRemoteVideo(@TempDir Path profile) throws Exception {
        MediaNetwork net = MediaNetwork.fromEnvironment();
        Path sdk = NodeScript.sdkTestsDirectory();
        LiveKitClientPage page = LiveKitClientPage.serve(net.client(), sdk);
        String origin = page.origin();
        String room = "browser-room";
        try (DevRoomServer server = DevRoomServer.start(DevRoomConfig.defaults(net.server())
                .withAllowedOrigins(Set.of(origin)))) {
            Map<String, String> env = Map.of(
                    "URL", server.wsUrl(), "PAGE_URL", page.url(),
                    "TOKEN_AVATAR", server.tokens().participant(room, "avatar").agent(true).mint(),
                    "TOKEN_VIEWER", server.tokens().participant(room, "viewer").mint(),
                    "PROFILE_DIR", profile.toString(), "TIMEOUT_MS", "40000");
            NodeScript.Result run;
            try (NodeScript script = NodeScript.start(sdk, "browser-room.mjs", List.of(), env)) {
                run = script.await(Duration.ofSeconds(50));
            }
            assertEquals(0, run.exitCode(), run.describe());
            String line = run.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT line\n" + run.describe()));
            System.out.println("browser " + line);
            JsonNode result = new ObjectMapper().readTree(line.substring(7));
            assertEquals("connected", result.get("state").asText(), line);
            assertEquals("1.13.5", result.get("serverVersion").asText(), line);
            assertTrue(result.get("nonBlack").asInt() > 1000, line);
            assertEquals("320x240", result.get("size").asText(), line);
            JsonNode track = result.get("tracks").get(0);
            assertEquals("avatar_video", track.get("name").asText(), line);
            assertEquals("camera", track.get("source").asText(), line);
            assertEquals("avatar", track.get("from").asText(), line);
        } finally {
            page.close();
        }
    }
}
