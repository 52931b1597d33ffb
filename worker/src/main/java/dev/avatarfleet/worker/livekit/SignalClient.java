package dev.avatarfleet.worker.livekit;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LiveKit signalling WebSocket: binary protobuf {@code SignalRequest}s out, {@code SignalResponse}s
 * in. Sends are queued one after the other (the JDK WebSocket allows one outstanding send). A link that
 * closes without {@link #close()} being called is reported once through {@link Listener#lost}.
 */
public final class SignalClient implements AutoCloseable {

    /** Largest signalling message accepted (SDP offers are a few kB). */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** How long opening the link may take, as the Rust SDK allows. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SignalClient.class);

    /** Receives what arrives; called on the WebSocket's thread, one message at a time. */
    public interface Listener {
        void message(SignalResponse response);

        /** The link went away without us closing it. */
        void lost(String reason);
    }

    private final WebSocket socket;
    private final InstantSource clock;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object sendLock = new Object();
    private CompletableFuture<WebSocket> lastSend;
    private volatile long lastReceivedMillis;

    private SignalClient(WebSocket socket, InstantSource clock) {
        this.socket = socket;
        this.clock = clock;
        this.lastReceivedMillis = clock.millis();
        this.lastSend = CompletableFuture.completedFuture(socket);
    }

    /**
     * Opens the link. A refused upgrade is explained with {@code /rtc/validate}.
     *
     * @param clock what {@link #lastReceivedMillis()} is read from
     * @throws LiveKitException with a readable reason when the server cannot be reached or refuses
     */
    public static SignalClient connect(HttpClient http, LiveKitUrl url, URI uri, String token, InstantSource clock,
                                       Listener listener) throws LiveKitException {
        Receiver receiver = new Receiver(listener);
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(uri, receiver);
        WebSocket socket;
        try {
            socket = opening.get(CONNECT_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new LiveKitException("no answer from " + url.authority() + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveKitException("interrupted while connecting");
        } catch (ExecutionException e) {
            throw explain(http, url, token, e.getCause());
        }
        SignalClient client = new SignalClient(socket, clock);
        receiver.client = client;
        return client;
    }

    /** Queues a request; failures are logged (a broken link shows up through {@link Listener#lost}). */
    public void send(SignalRequest request) {
        ByteBuffer bytes = ByteBuffer.wrap(request.toByteArray());
        synchronized (sendLock) {
            if (closing.get()) {
                return;
            }
            lastSend = lastSend
                    .exceptionally(e -> socket)
                    .thenCompose(ws -> ws.sendBinary(bytes, true));
            lastSend.whenComplete((ws, e) -> {
                if (e != null) {
                    LOG.atDebug().log(() -> "signal send failed: " + e.getMessage());
                }
            });
        }
    }

    /** When anything (a message, a ping frame) last arrived, in the clock's milliseconds. */
    public long lastReceivedMillis() {
        return lastReceivedMillis;
    }

    /** Closes the link after what is queued has been sent; never reported as lost. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<WebSocket> pending;
        synchronized (sendLock) {
            pending = lastSend;
        }
        try {
            pending.exceptionally(e -> socket)
                    .thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "leave"))
                    .get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atDebug().log(() -> "signal close: " + e);
        } finally {
            socket.abort();
        }
    }

    private static LiveKitException explain(HttpClient http, LiveKitUrl url, String token, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            return new LiveKitException(status + " " + validateReason(http, url, token, status));
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return new LiveKitException("no answer from " + url.authority() + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
        }
        if (cause instanceof ConnectException) {
            return new LiveKitException("cannot connect to " + url.authority() + " (connection refused)");
        }
        if (cause instanceof IOException io) {
            return new LiveKitException("cannot connect to " + url.authority() + " (" + io.getClass().getSimpleName()
                    + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")");
        }
        return new LiveKitException("cannot connect to " + url.authority() + " (" + cause + ")");
    }

    /** Asks {@code /rtc/validate} why; falls back to the HTTP status text. */
    static String validateReason(HttpClient http, LiveKitUrl url, String token, int status) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url.validate())
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), 0, Math.min(response.body().length, 4096), StandardCharsets.UTF_8);
            String reason = readable(body);
            if (!reason.isEmpty()) {
                return reason;
            }
        } catch (IOException e) {
            LOG.atDebug().log(() -> "validate failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            default -> "join refused";
        };
    }

    /** First line of a server text, control characters removed, at most 200 characters. */
    static String readable(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        String clean = line.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    private static final class Receiver implements WebSocket.Listener {
        private final Listener listener;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final AtomicBoolean reported = new AtomicBoolean();
        volatile SignalClient client;
        private boolean oversized;

        Receiver(Listener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (!oversized && buffer.size() + data.remaining() <= MAX_MESSAGE_BYTES) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                buffer.writeBytes(bytes);
            } else {
                oversized = true;
            }
            if (last) {
                byte[] message = buffer.toByteArray();
                buffer.reset();
                boolean dropped = oversized;
                oversized = false;
                touch();
                if (dropped) {
                    LOG.warn("signal message over " + MAX_MESSAGE_BYTES + " bytes dropped");
                } else {
                    try {
                        listener.message(SignalResponse.parseFrom(message));
                    } catch (InvalidProtocolBufferException e) {
                        LOG.warn("undecodable signal message dropped: " + e.getMessage());
                    } catch (RuntimeException e) {
                        LOG.warn("signal message handler failed", e);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            // why: LiveKit answers binary protobuf to binary clients; text frames are not ours
            touch();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            touch();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            report("signal link closed by server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            report("signal link failed (" + error.getClass().getSimpleName() + ")");
        }

        private void touch() {
            SignalClient c = client;
            if (c != null) {
                c.lastReceivedMillis = c.clock.millis();
            }
        }

        private void report(String reason) {
            SignalClient c = client;
            if ((c == null || !c.closing.get()) && reported.compareAndSet(false, true)) {
                listener.lost(reason);
            }
        }
    }
}
