package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The signalling half of the start-up warm-up: the JDK WebSocket client and SignalClient against a loopback peer. */
class LoopbackSignalPeerTest {

    @Test
    void acceptKeyIsTheOneOfRfc6455() {
        // why: the worked example of RFC 6455 section 1.3
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", LoopbackSignalPeer.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void framesAreUnmaskedWithTheRightLength() {
        assertArrayEquals(new byte[] {(byte) 0x82, 2, 7, 8}, LoopbackSignalPeer.frame(0x2, new byte[] {7, 8}));
        byte[] big = LoopbackSignalPeer.frame(0x2, new byte[300]);
        assertEquals(126, big[1]);
        assertEquals(300, ((big[2] & 0xFF) << 8) | (big[3] & 0xFF));
        assertThrows(IllegalArgumentException.class, () -> LoopbackSignalPeer.frame(0x2, new byte[70_000]));
    }

    @Test
    void signallingRoundRunsToItsEndAndClosesThePeer() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) {
                ConnectionWarmup.signalling(http);
            }
        }
    }

    @Test
    void aPeerNobodyConnectsToEndsOnItsOwn() throws Exception {
        LoopbackSignalPeer peer = LoopbackSignalPeer.start(new byte[] {1});
        // why: the accept is bounded, so an unused peer never leaks its thread or port
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> peer.done().get(10, TimeUnit.SECONDS));
        assertEquals(java.net.SocketTimeoutException.class, e.getCause().getClass());
    }
}
