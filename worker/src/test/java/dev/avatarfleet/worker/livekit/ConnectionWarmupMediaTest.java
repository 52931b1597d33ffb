package dev.avatarfleet.worker.livekit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The worker's start-up warm-up on real libwebrtc: both rounds run to their end and free every native
 * object they made, so running it again and again leaves no extra threads behind.
 */
@Tag("media")
class ConnectionWarmupMediaTest {

    @Test
    void warmUpCompletesAndFreesEverythingItCreated() throws Exception {
        AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        PeerConnectionFactory factory = new PeerConnectionFactory(adm);
        try (HttpClient http = HttpClient.newHttpClient()) {
            long threadsAfterFirst = -1;
            for (int round = 0; round < 10; round++) {
                ConnectionWarmup.Result r = ConnectionWarmup.run(http, factory, 64, 64);
                assertTrue(r.signalled(), "signalling round ran");
                assertTrue(r.negotiated(), "offer/answer ran");
                assertEquals(List.of(), r.notFreed());
                if (round == 0) {
                    Thread.sleep(200); // why: the baseline is taken once the first round's short-lived threads have gone
                    threadsAfterFirst = TrackTeardownMediaTest.osThreads();
                }
            }
            long first = threadsAfterFirst;
            // why: a round's short-lived threads end a moment after it returns; wait for the bound, fail if it never holds
            // why: polled on this thread, so the poller is not itself a thread the count sees
            await().atMost(Duration.ofSeconds(5)).pollInSameThread().untilAsserted(() -> {
                long threads = TrackTeardownMediaTest.osThreads();
                assertTrue(threads <= first + 2, "threads " + threads + " after 10 warm-ups vs " + first + " after one");
            });
        } finally {
            factory.dispose();
            adm.dispose();
        }
    }
}
