package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.SignalResponse;
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
    void aSignallingRoundDeliversTheMessageRunsToTheClientsCloseAndClosesThePeer() throws Exception {
        byte[] join = SignalResponse.newBuilder().setJoin(JoinResponse.newBuilder()
                .setParticipant(ParticipantInfo.newBuilder().setSid("PA_test").setIdentity("test"))).build().toByteArray();
        try (HttpClient http = HttpClient.newHttpClient()) {
            LoopbackSignalPeer peer = LoopbackSignalPeer.start(join);
            LiveKitUrl url = LiveKitUrl.parse(peer.url());
            CompletableFuture<SignalResponse> received = new CompletableFuture<>();
            SignalClient client = SignalClient.connect(http, url, url.join(), "token", InstantSource.system(), new SignalClient.Listener() {
                @Override
                public void message(SignalResponse response) {
                    received.complete(response);
                }

                @Override
                public void lost(String reason) {
                    received.completeExceptionally(new IllegalStateException(reason));
                }
            });
            assertEquals("PA_test", received.get(10, TimeUnit.SECONDS).getJoin().getParticipant().getSid(), "the peer's one message");
            client.close();
            // the peer saw the client's close frame (not an error, not a timeout), and its port is closed
            assertNull(peer.done().get(10, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThrows(ConnectException.class,
                    () -> new Socket(InetAddress.getLoopbackAddress(), url.base().getPort()).close()));
        }
    }

    @Test
    void theWarmUpsSignallingRoundRunsToItsEndTimeAfterTime() throws Exception {
        // why: ConnectionWarmup.signalling waits for its peer's end and throws otherwise; three rounds leave no peer behind
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
