package dev.avatarfleet.worker.livekit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.RpcAck;
import livekit.LivekitModels.RpcError;
import livekit.LivekitModels.RpcRequest;
import livekit.LivekitModels.RpcResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiveKit RPC version 1 over reliable data packets, both ways (reference §2.5): requests are acked at
 * once, answered within their response timeout, and unknown methods or versions get 1400 / 1404;
 * outgoing calls fail with 1501 when no ack comes and 1502 when no response follows.
 */
public final class RpcEndpoint implements AutoCloseable {

    /** Largest request or response payload, in UTF-8 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 15_360;
    /** How long a caller waits for the ack (LiveKit's max round-trip latency). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(7);
    /** Pending outgoing calls at once; more fail locally. */
    static final int MAX_PENDING_CALLS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(RpcEndpoint.class);

    /** Answers one method. Throw {@link RpcException} to send an RPC error back. */
    @FunctionalInterface
    public interface Handler {
        String handle(String callerIdentity, String payload) throws RpcException;
    }

    /** Puts a packet on the reliable data channel; throws when it cannot. */
    @FunctionalInterface
    public interface PacketSender {
        void send(DataPacket packet) throws Exception;
    }

    private final PacketSender sender;
    private final ScheduledExecutorService timers;
    private final Executor handlers;
    private final Duration ackTimeout;
    private final Map<String, Registration> methods = new ConcurrentHashMap<>();
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RpcEndpoint(PacketSender sender, ScheduledExecutorService timers, Executor handlers, Duration ackTimeout) {
        this.sender = sender;
        this.timers = timers;
        this.handlers = handlers;
        this.ackTimeout = ackTimeout;
    }

    public RpcEndpoint(PacketSender sender, ScheduledExecutorService timers, Executor handlers) {
        this(sender, timers, handlers, ACK_TIMEOUT);
    }

    public void register(String method, Handler handler) {
        register(method, handler, caller -> { });
    }

    /**
     * @param afterResponse runs once the successful response has been handed to the channel, so what
     *                      it sends is ordered after the response (e.g. the interrupted-playback report)
     */
    public void register(String method, Handler handler, java.util.function.Consumer<String> afterResponse) {
        methods.put(method, new Registration(handler, afterResponse));
    }

    private record Registration(Handler handler, java.util.function.Consumer<String> afterResponse) {
    }

    /** Feeds a received packet; returns false when it is not an RPC packet. */
    public boolean onPacket(DataPacket packet) {
        switch (packet.getValueCase()) {
            case RPC_REQUEST -> onRequest(packet.getParticipantIdentity(), packet.getRpcRequest());
            case RPC_ACK -> onAck(packet.getRpcAck());
            case RPC_RESPONSE -> onResponse(packet.getRpcResponse());
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Calls {@code method} on {@code destination}. The future fails with an {@link RpcException}.
     *
     * @param responseTimeout how long to wait for the response once acked
     */
    public CompletableFuture<String> call(String destination, String method, String payload, Duration responseTimeout) {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new RpcException(RpcException.RECIPIENT_DISCONNECTED, "connection closed"));
            return result;
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            result.completeExceptionally(new RpcException(RpcException.REQUEST_PAYLOAD_TOO_LARGE, "request payload too large"));
            return result;
        }
        if (pending.size() >= MAX_PENDING_CALLS) {
            result.completeExceptionally(new RpcException(RpcException.SEND_FAILED, "too many calls pending"));
            return result;
        }
        String id = UUID.randomUUID().toString();
        PendingCall call = new PendingCall(result, responseTimeout);
        pending.put(id, call);
        call.timer = timers.schedule(() -> fail(id, RpcException.CONNECTION_TIMEOUT, "no ack"),
                ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        DataPacket request = DataPacket.newBuilder()
                .setKind(DataPacket.Kind.RELIABLE)
                .addDestinationIdentities(destination)
                .setRpcRequest(RpcRequest.newBuilder()
                        .setId(id)
                        .setMethod(method)
                        .setPayload(payload)
                        .setResponseTimeoutMs((int) Math.min(Integer.MAX_VALUE, responseTimeout.toMillis()))
                        .setVersion(1))
                .build();
        try {
            sender.send(request);
        } catch (Exception e) {
            fail(id, RpcException.SEND_FAILED, "send failed: " + e.getMessage());
        }
        return result;
    }

    /** Fails every pending call (the peer or the connection is gone). */
    public void failPending(String why) {
        for (String id : pending.keySet()) {
            fail(id, RpcException.RECIPIENT_DISCONNECTED, why);
        }
    }

    @Override
    public void close() {
        closed = true;
        failPending("connection closed");
    }

    private void onRequest(String caller, RpcRequest request) {
        String id = request.getId();
        if (id.isEmpty() || id.length() > 128) {
            return;
        }
        // why: the ack goes out before anything else, so the caller's 7 s ack timer stops at once
        send(DataPacket.newBuilder().setKind(DataPacket.Kind.RELIABLE).addDestinationIdentities(caller)
                .setRpcAck(RpcAck.newBuilder().setRequestId(id)).build());
        if (request.getVersion() != 1) {
            respondError(caller, id, RpcException.UNSUPPORTED_VERSION, "unsupported RPC version");
            return;
        }
        Registration registration = methods.get(request.getMethod());
        if (registration == null) {
            respondError(caller, id, RpcException.UNSUPPORTED_METHOD, "method not supported");
            return;
        }
        long timeoutMs = request.getResponseTimeoutMs() > 0 ? request.getResponseTimeoutMs() : 8_000;
        CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return registration.handler().handle(caller, request.getPayload());
                    } catch (RpcException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, handlers)
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((payload, error) -> {
                    if (error == null) {
                        String body = payload == null ? "" : payload;
                        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
                            respondError(caller, id, RpcException.RESPONSE_PAYLOAD_TOO_LARGE, "response payload too large");
                        } else {
                            send(DataPacket.newBuilder().setKind(DataPacket.Kind.RELIABLE).addDestinationIdentities(caller)
                                    .setRpcResponse(RpcResponse.newBuilder().setRequestId(id).setPayload(body)).build());
                            registration.afterResponse().accept(caller);
                        }
                        return;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof RpcException rpc) {
                        respondError(caller, id, rpc.code(), rpc.getMessage());
                    } else if (cause instanceof TimeoutException) {
                        respondError(caller, id, RpcException.RESPONSE_TIMEOUT, "response timeout");
                    } else {
                        LOG.warn("RPC handler for " + request.getMethod() + " failed", cause);
                        respondError(caller, id, RpcException.APPLICATION_ERROR, "application error");
                    }
                });
    }

    private void onAck(RpcAck ack) {
        PendingCall call = pending.get(ack.getRequestId());
        if (call == null || call.acked) {
            return;
        }
        call.acked = true;
        call.timer.cancel(false);
        call.timer = timers.schedule(() -> fail(ack.getRequestId(), RpcException.RESPONSE_TIMEOUT, "no response"),
                call.responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onResponse(RpcResponse response) {
        PendingCall call = pending.remove(response.getRequestId());
        if (call == null) {
            return;
        }
        call.timer.cancel(false);
        if (response.hasError()) {
            RpcError error = response.getError();
            call.result.completeExceptionally(new RpcException(error.getCode(), error.getMessage()));
        } else {
            call.result.complete(response.getPayload());
        }
    }

    private void fail(String id, int code, String message) {
        PendingCall call = pending.remove(id);
        if (call != null) {
            if (call.timer != null) {
                call.timer.cancel(false);
            }
            call.result.completeExceptionally(new RpcException(code, message));
        }
    }

    private void respondError(String caller, String id, int code, String message) {
        String bounded = message.length() > 256 ? message.substring(0, 256) : message;
        send(DataPacket.newBuilder().setKind(DataPacket.Kind.RELIABLE).addDestinationIdentities(caller)
                .setRpcResponse(RpcResponse.newBuilder().setRequestId(id)
                        .setError(RpcError.newBuilder().setCode(code).setMessage(bounded)))
                .build());
    }

    private void send(DataPacket packet) {
        try {
            sender.send(packet);
        } catch (Exception e) {
            LOG.atDebug().log(() -> "RPC packet not sent: " + e.getMessage());
        }
    }

    private static final class PendingCall {
        final CompletableFuture<String> result;
        final Duration responseTimeout;
        volatile boolean acked;
        volatile ScheduledFuture<?> timer;

        PendingCall(CompletableFuture<String> result, Duration responseTimeout) {
            this.result = result;
            this.responseTimeout = responseTimeout;
        }
    }
}
