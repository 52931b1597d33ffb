package dev.avatarfleet.worker.livekit;

import java.util.concurrent.CompletableFuture;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The far end of {@link ConnectionWarmup}'s signalling round: a Helidon WebSocket endpoint on
 * {@code 127.0.0.1:<ephemeral>/rtc} that sends one binary message (the bytes given) to whoever
 * connects and is done when the client answers or closes. Not a LiveKit server and never reachable
 * from outside this process: it only exists so that the JDK WebSocket client and {@link SignalClient}
 * run their whole path once at start.
 */
final class WarmupSignalPeer implements AutoCloseable {

    private final WebServer server;
    private final CompletableFuture<Void> done;

    private WarmupSignalPeer(WebServer server, CompletableFuture<Void> done) {
        this.server = server;
        this.done = done;
    }

    static WarmupSignalPeer start(byte[] message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .addRouting(WsRouting.builder().endpoint("/rtc", () -> new OneMessage(message, done)))
                .build()
                .start();
        return new WarmupSignalPeer(server, done);
    }

    /** {@code ws://127.0.0.1:PORT} */
    String url() {
        return "ws://127.0.0.1:" + server.port();
    }

    /** Completes when the client has answered or closed. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Sends the message on open; any answer or close ends the round. */
    private record OneMessage(byte[] message, CompletableFuture<Void> done) implements WsListener {

        @Override
        public void onOpen(WsSession session) {
            session.send(BufferData.create(message), true);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            done.complete(null);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            done.complete(null);
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            done.completeExceptionally(t);
        }
    }
}
