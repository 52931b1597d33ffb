package dev.avatarfleet.worker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.devroom.DevRoomConfig;
import dev.avatarfleet.devroom.DevRoomServer;
import dev.avatarfleet.testkit.MediaNetwork;
import dev.avatarfleet.worker.render.avatar.AvatarPreparer;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.loop.BatchRenderLoop;
import dev.avatarfleet.worker.render.model.AvatarModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rest of the avatar protocol of current livekit-agents (issue 11 C), against a real {@code @livekit/rtc-node}
 * agent (ops/sdk-tests/protocol-agent.mjs) through the dev room server: {@code lk.playback_started} once per
 * segment before its {@code lk.playback_finished} (and an agent answering 1400 still served), speech and a
 * clear_buffer that come before the avatar has published video, and every TTS rate, mono and stereo, played for
 * its duration at its pitch (measured at the agent on the avatar's published audio).
 */
@Tag("media")
class AvatarProtocolMediaTest {

    static final int SIZE = 256;
    static final String AVATAR = "bithuman-avatar-agent";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The brief's tolerance on playback_position against the sent duration. */
    static final double POSITION_TOLERANCE_S = 0.040;

    static DevRoomServer server;
    static AvatarModel model;
    static BatchRenderLoop renderer;
    static GatedPreparer preparer;
    static LiveSessionFactory sessions;

    /** Prepares avatars with the real preparer, once the test lets it: the avatar joins but cannot publish yet. */
    static final class GatedPreparer implements AvatarPreparer {
        final AvatarPreparer real;
        volatile CountDownLatch gate = new CountDownLatch(0);

        GatedPreparer(AvatarPreparer real) {
            this.real = real;
        }

        @Override
        public PreparedAvatar prepare(byte[] imageBytes) {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the preparation gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return real.prepare(imageBytes);
        }
    }

    @BeforeAll
    static void startStack() throws IOException {
        String host = MediaNetwork.fromEnvironment().server();
        server = DevRoomServer.start(DevRoomConfig.defaults(host).withPort(0));
        Path dir = Files.createTempDirectory("avatar-model");
        model = AvatarModel.open(dir.resolve("model"), PatchRegion.defaultSize(SIZE, SIZE), 1);
        renderer = BatchRenderLoop.start(model, SIZE, SIZE, 4);
        preparer = new GatedPreparer(new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, SIZE, SIZE, 4));
        sessions = new LiveSessionFactory(renderer, preparer,
                new LiveSessionSettings(SIZE, SIZE, Duration.ofSeconds(600), Clock.systemUTC()));
    }

    @AfterAll
    static void stopStack() {
        if (sessions != null) {
            sessions.close();
        }
        if (renderer != null) {
            renderer.close();
        }
        if (model != null) {
            model.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static String room() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static LaunchSpec launch(String room, String agentIdentity) {
        String token = server.tokens().participant(room, AVATAR).name(AVATAR).agent(true)
                .attribute("lk.publish_on_behalf", agentIdentity).attribute("api_secret", "s").mint();
        return new LaunchSpec(UUID.randomUUID().toString().substring(0, 8), 1, room, server.wsUrl(), token,
                null, null, null, AVATAR);
    }

    static AgentProcess agent(String room, String identity, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("LIVEKIT_URL", server.wsUrl(),
                "AGENT_TOKEN", server.tokens().participant(room, identity).agent(true).mint(), "AVATAR_IDENTITY", AVATAR));
        env.putAll(extra);
        return AgentProcess.start("protocol-agent.mjs", env);
    }

    static List<JsonNode> finishedPayloads(AgentProcess agent) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : agent.all("playback_finished")) {
            out.add(JSON.readTree(e.path("payload").asText()));
        }
        return out;
    }

    static void assertPlayed(JsonNode payload, double seconds, String what) {
        assertFalse(payload.path("interrupted").asBoolean(), what + " not interrupted: " + payload);
        double position = payload.path("playback_position").asDouble();
        assertTrue(Math.abs(position - seconds) <= POSITION_TOLERANCE_S, what + ": played " + position + " s of " + seconds);
    }

    /**
     * The tone as the agent received it: its pitch within 2 % (a rate taken for another is off by 9 % at least:
     * 44.1 vs 48 kHz), and not much of it missing. why: no upper bound on its length: the receiver's jitter buffer
     * stretches and conceals under load (1.44 s for 1 s was seen at load 20); the exact duration is the avatar's
     * playback_position.
     */
    static void assertTone(JsonNode run, double seconds, String what) {
        double hz = run.path("frequency_hz").asDouble();
        assertTrue(Math.abs(hz - 1000) <= 20, what + ": the avatar's audio has a " + hz + " Hz tone, sent 1000 Hz");
        double length = run.path("seconds").asDouble();
        assertTrue(length > seconds * 0.75, what + ": the avatar's audio holds only " + length + " s of tone, sent " + seconds);
    }

    @Test
    void speechAndAClearBeforeTheAvatarPublishedVideoAreKeptAndPlayedInOrder() throws Exception {
        String room = room();
        preparer.gate = new CountDownLatch(1);
        try (AgentProcess agent = agent(room, "agent-early", Map.of("SCENARIO", "early", "STARTED", "answer"))) {
            agent.await("connected", Duration.ofSeconds(20));
            RecordingEvents events = new RecordingEvents();
            sessions.start(launch(room, "agent-early"), null, events);
            JsonNode clear = agent.await("clear_buffer", Duration.ofSeconds(40));
            assertEquals("ok", clear.path("answer").asText(), "clear_buffer answered before the avatar published: " + clear);
            JsonNode sent = agent.await("early_sent", Duration.ofSeconds(20));
            // why: the avatar cannot publish while its preparation is held, so all of this came before its video
            assertFalse(clear.path("video_published").asBoolean() || sent.path("video_published").asBoolean(), sent.toString());
            preparer.gate.countDown();

            agent.await("summary", Duration.ofSeconds(60));
            List<JsonNode> finished = finishedPayloads(agent);
            assertEquals(3, finished.size(), agent.output());
            assertTrue(finished.get(0).path("interrupted").asBoolean(), "the cleared segment: " + finished.get(0));
            assertEquals(0.0, finished.get(0).path("playback_position").asDouble(), 1e-9, "nothing of it was played");
            assertPlayed(finished.get(1), 2.0, "2 s at 16 kHz stereo sent before the video");
            assertPlayed(finished.get(2), 1.0, "1 s at 44.1 kHz mono sent before the video");

            List<JsonNode> started = agent.all("playback_started");
            assertEquals(2, started.size(), "once per played segment, none for the cleared one: " + started);
            for (int i = 0; i < 2; i++) {
                assertEquals("", started.get(i).path("payload").asText(), "empty payload");
                // why: segment i + 1 starts after segment i's finished and before its own
                assertEquals(i + 1, started.get(i).path("finished_before").asInt(), "started in order: " + agent.output());
            }
            JsonNode runs = agent.await("tones", Duration.ofSeconds(5)).path("runs");
            // why: the two segments play back to back, but the receiver's first second may have gaps (its jitter
            // buffer starting under load split it into 0.31 + 0.5 + 1.92 s once), so the runs are summed
            double heard = 0;
            for (JsonNode run : runs) {
                assertTone(run, 0, "early speech");
                heard += run.path("seconds").asDouble();
            }
            assertTrue(heard > 3.0 * 0.75, "the early speech heard for " + heard + " s of 3 s: " + runs);
            agent.await("done", Duration.ofSeconds(10));
        } finally {
            preparer.gate.countDown();
        }
    }

    @Test
    void everyRateMonoIsPlayedForItsDurationAtItsPitchWithPlaybackStartedFirst() throws Exception {
        everyRate(1, true);
    }

    /** Stereo, and an agent that does not register lk.playback_started (the bitHuman plugin): it answers 1400. */
    @Test
    void everyRateStereoIsPlayedForAnAgentAnswering1400ToPlaybackStarted() throws Exception {
        everyRate(2, false);
    }

    private void everyRate(int channels, boolean answerStarted) throws Exception {
        int[] rates = {8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000};
        StringBuilder segments = new StringBuilder();
        for (int rate : rates) {
            segments.append(segments.isEmpty() ? "" : ",").append(rate).append('x').append(channels);
        }
        String room = room();
        String identity = "agent-rates-" + channels;
        try (AgentProcess agent = agent(room, identity, Map.of("SCENARIO", "rates", "SEGMENTS", segments.toString(),
                "STARTED", answerStarted ? "answer" : "absent"))) {
            agent.await("connected", Duration.ofSeconds(20));
            sessions.start(launch(room, identity), null, new RecordingEvents());
            agent.await("summary", Duration.ofSeconds(90));
            List<JsonNode> finished = finishedPayloads(agent);
            assertEquals(rates.length, finished.size(), agent.output());
            for (int i = 0; i < rates.length; i++) {
                assertPlayed(finished.get(i), 1.0, rates[i] + " Hz x" + channels);
            }
            List<JsonNode> started = agent.all("playback_started");
            if (answerStarted) {
                assertEquals(rates.length, started.size(), "once per segment: " + started);
                for (int i = 0; i < rates.length; i++) {
                    assertEquals(i, started.get(i).path("finished_before").asInt(), "started before its finished: " + started);
                }
            } else {
                assertTrue(started.isEmpty());
            }
            JsonNode runs = agent.await("tones", Duration.ofSeconds(5)).path("runs");
            assertEquals(rates.length, runs.size(), "one tone per segment in the avatar's audio: " + runs);
            for (int i = 0; i < rates.length; i++) {
                assertTone(runs.get(i), 1.0, rates[i] + " Hz x" + channels);
            }
            agent.await("done", Duration.ofSeconds(10));
        }
    }
}
