package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The signalling half of the start-up warm-up: the JDK WebSocket client and SignalClient against an in-process peer. */
class WarmupSignalPeerTest {

    @Test
    void signallingRoundRunsToItsEndAndClosesThePeer() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) {
                ConnectionWarmup.signalling(http);
            }
        }
    }

    @Test
    void thePeerIsDoneWhenTheClientAnswers() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient(); WarmupSignalPeer peer = WarmupSignalPeer.start(new byte[] {8, 1})) {
            var received = new java.util.concurrent.CompletableFuture<java.nio.ByteBuffer>();
            var ws = http.newWebSocketBuilder().buildAsync(java.net.URI.create(peer.url() + "/rtc"), new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
                    received.complete(data);
                    return null;
                }
            }).get(5, TimeUnit.SECONDS);
            assertTrue(received.get(5, TimeUnit.SECONDS).remaining() == 2);
            ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1}), true).get(5, TimeUnit.SECONDS);
            peer.done().get(5, TimeUnit.SECONDS);
            // why: HttpClient.close() waits for every open WebSocket; the round is over, drop ours
            ws.abort();
        }
    }
}
