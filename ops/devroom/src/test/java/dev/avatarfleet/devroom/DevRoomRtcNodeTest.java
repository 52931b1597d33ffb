package dev.avatarfleet.devroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.testkit.MediaNetwork;
import dev.avatarfleet.testkit.NodeScript;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official {@code @livekit/rtc-node} SDK against the dev room server, inside the media network namespace:
 * video and audio forwarded with their names and sources (auto-subscribed, and to a third participant only
 * the track it subscribed to), reliable data, RPC and a byte stream relayed whole,
 * and RemoveParticipant seen by both sides (ops/sdk-tests/rtc-node-room.mjs).
 */
@Tag("media")
class DevRoomRtcNodeTest {
    private static final int CAMERA = 1;
    private static final int MICROPHONE = 2;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoRtcNodeParticipantsExchangeMediaDataRpcAndStreams() throws Exception {
        MediaNetwork net = MediaNetwork.fromEnvironment();
        String room = "rtc-node-room";
        try (DevRoomServer server = DevRoomServer.start(DevRoomConfig.defaults(net.server()))) {
            DevRoomTokens tokens = server.tokens();
            Map<String, String> env = Map.of(
                    "URL", server.wsUrl(), "HTTP_URL", server.httpUrl(), "ROOM", room,
                    "TOKEN_ALICE", tokens.participant(room, "alice").agent(true).mint(),
                    "TOKEN_BOB", tokens.participant(room, "bob").mint(),
                    "TOKEN_CAROL", tokens.participant(room, "carol").mint(),
                    "ADMIN_TOKEN", tokens.admin(room).mint(), "TIMEOUT_MS", "40000");
            NodeScript.Result run;
            try (NodeScript script = NodeScript.start(NodeScript.sdkTestsDirectory(), "rtc-node-room.mjs", List.of(), env)) {
                run = script.await(Duration.ofSeconds(50));
            }
            assertEquals(0, run.exitCode(), run.describe());
            String line = run.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT line\n" + run.describe()));
            System.out.println("rtc-node " + line);
            JsonNode result = new ObjectMapper().readTree(line.substring(7));
            assertTrue(result.get("videoFrames").asInt() >= 100, line);
            assertEquals("320x240", result.get("videoSize").asText(), line);
            assertTrue(result.get("audioNonSilent").asInt() >= 50, line);
            assertTrack(result, "avatar_video", CAMERA);
            assertTrue(result.get("carolFrames").asInt() >= 25, "explicit UpdateSubscription: " + line);
            assertEquals("[\"avatar_video\"]", result.get("carolTracks").toString(), "carol asked for video only: " + line);
            assertTrack(result, "avatar_audio", MICROPHONE);
            assertEquals("hello over reliable", result.at("/data/text").asText(), line);
            assertEquals("alice", result.at("/data/from").asText(), line);
            assertEquals("echo:ping from alice", result.get("rpc").asText(), line);
            assertEquals(40000, result.at("/stream/bytes").asInt(), line);
            assertEquals(result.get("sentSha256").asText(), result.at("/stream/sha256").asText(), line);
            assertEquals("alice", result.at("/stream/from").asText(), line);
            assertEquals("v", result.at("/stream/attr").asText(), line);
            assertEquals("alice", result.get("bobSawUnpublish").asText(), "unpublished audio announced: " + line);
            assertEquals(200, result.get("removeStatus").asInt(), line);
            assertTrue(result.get("bobSawAliceLeave").asBoolean(), line);
            assertEquals(4, result.get("aliceDisconnectReason").asInt(), "PARTICIPANT_REMOVED: " + line);
        }
    }

    private static void assertTrack(JsonNode result, String name, int source) {
        for (JsonNode t : result.get("tracks")) {
            if (t.get("name").asText().equals(name)) {
                assertEquals(source, t.get("source").asInt(), name + " source");
                assertEquals("alice", t.get("from").asText());
                return;
            }
        }
        throw new AssertionError(name + " never arrived: " + result);
    }
}
