package dev.avatarfleet.devroom;

import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A bare LiveKit signalling client (JDK WebSocket, no media) for tests that need no WebRTC. */
final class SignalClient implements AutoCloseable {
    final LinkedBlockingQueue<SignalResponse> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket ws;

    private SignalClient() {
    }

    static SignalClient connect(String wsUrl, String token) throws Exception {
        return connect(wsUrl + "/rtc?protocol=17&sdk=java", token, true);
    }

    static SignalClient connect(String url, String token, boolean header) throws Exception {
        SignalClient c = new SignalClient();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                partial.writeBytes(b);
                if (last) {
                    try {
                        c.received.add(SignalResponse.parseFrom(partial.toByteArray()));
                    } catch (Exception e) {
                        c.closed.complete("unparsable " + e);
                    }
                    partial.reset();
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        SignalResponse.Builder b = SignalResponse.newBuilder();
                        com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(text.toString(), b);
                        c.received.add(b.build());
                    } catch (Exception e) {
                        c.closed.complete("unparsable " + e);
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                c.closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                c.closed.complete("error " + error);
            }
        };
        String full = header ? url : url + (url.contains("?") ? "&" : "?") + "access_token=" + token;
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (header) {
            b.header("Authorization", "Bearer " + token);
        }
        c.ws = b.buildAsync(URI.create(full), listener).get(10, TimeUnit.SECONDS);
        return c;
    }

    void send(SignalRequest request) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(request.toByteArray()), true).get(5, TimeUnit.SECONDS);
    }

    void sendRaw(byte[] bytes) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
    }

    void sendText(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** The first response {@code wanted} accepts, skipping the others; fails after {@code timeout}. */
    SignalResponse await(Predicate<SignalResponse> wanted, Duration timeout) {
        // why: each poll waits for the next response itself, so Awaitility need not pause between polls
        return Awaitility.await("a matching signal response").atMost(timeout).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> received.poll(50, TimeUnit.MILLISECONDS), r -> r != null && wanted.test(r));
    }

    @Override
    public void close() {
        ws.abort();
    }
}
