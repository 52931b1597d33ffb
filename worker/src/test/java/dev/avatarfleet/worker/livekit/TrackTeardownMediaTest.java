package dev.avatarfleet.worker.livekit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The avatar's tracks on real libwebrtc: fed by ticks, attached to a sendonly publisher with H.264
 * preferred, then torn down in the reference order, many times over one factory, leaving no
 * undisposable native object and no extra threads.
 */
@Tag("media")
class TrackTeardownMediaTest {

    private static final int ROUNDS = 30;

    /** Every thread of the process, native ones included. */
    static long osThreads() throws java.io.IOException {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.count();
        }
    }

    @Test
    void repeatedPublishAndTeardownLeavesNothingBehind() throws Exception {
        AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        PeerConnectionFactory factory = new PeerConnectionFactory(adm);
        try {
            long threadsAfterFirst = -1;
            for (int round = 0; round < ROUNDS; round++) {
                AvatarTracks tracks = new AvatarTracks(factory, 64, 64);
                PeerLink link = new PeerLink("publisher");
                RTCPeerConnection pc = factory.createPeerConnection(new RTCConfiguration(), candidate -> { });
                link.attach(pc);
                RTCRtpTransceiver video = pc.addTransceiver(tracks.videoTrack(), tracks.videoInit("s|camera"));
                AvatarTracks.preferH264(factory, video);
                pc.addTransceiver(tracks.audioTrack(), tracks.audioInit("s|microphone"));
                String sdp = link.offer().get().sdp;
                assertTrue(sdp.contains("H264"), "H.264 offered");
                assertTrue(sdp.indexOf("H264") < sdp.indexOf("VP8"), "H.264 before VP8");
                assertTrue(sdp.contains("a=msid:s|camera " + tracks.videoTrack().getId()), "track id is the cid");
                assertTrue(sdp.contains("a=sendonly"));
                for (int tick = 0; tick < 5; tick++) {
                    tracks.accept(new RenderedFrame(tick, 64, 64, new byte[64 * 64 * 3 / 2],
                            new short[AudioFeed.SAMPLES_PER_TICK], false));
                }
                assertEquals(5, tracks.framesPushed());
                link.close();
                tracks.close();
                assertEquals(0, tracks.disposeFailures());
                if (round == 0) {
                    Thread.sleep(200); // why: the baseline is taken once the first round's short-lived threads have gone
                    threadsAfterFirst = osThreads();
                }
            }
            long first = threadsAfterFirst;
            // why: a round's short-lived threads end a moment after it returns; wait for the bound, fail if it never holds
            // why: polled on this thread, so the poller is not itself a thread the count sees
            await().atMost(Duration.ofSeconds(5)).pollInSameThread().untilAsserted(() -> {
                long threads = osThreads();
                assertTrue(threads <= first + 2, "native+java threads " + threads + " after " + ROUNDS + " rounds vs " + first + " after one");
            });
        } finally {
            factory.dispose();
            adm.dispose();
        }
    }
}
