package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.RpcAck;
import livekit.LivekitModels.RpcError;
import livekit.LivekitModels.RpcRequest;
import livekit.LivekitModels.RpcResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RpcEndpointTest {

    private final BlockingQueue<DataPacket> sent = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final RpcEndpoint rpc = new RpcEndpoint(sent::add, timers, Runnable::run, Duration.ofMillis(200));

    @AfterEach
    void stop() {
        rpc.close();
        timers.shutdownNow();
    }

    private static DataPacket request(String caller, String id, String method, int version) {
        return DataPacket.newBuilder().setParticipantIdentity(caller)
                .setRpcRequest(RpcRequest.newBuilder().setId(id).setMethod(method).setPayload("")
                        .setResponseTimeoutMs(8000).setVersion(version))
                .build();
    }

    private DataPacket next() throws InterruptedException {
        DataPacket p = sent.poll(5, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("nothing sent");
        }
        return p;
    }

    @Test
    void acksFirstThenAnswers() throws Exception {
        rpc.register("lk.clear_buffer", (caller, payload) -> "ok");
        assertTrue(rpc.onPacket(request("agent", "r1", "lk.clear_buffer", 1)));
        DataPacket ack = next();
        assertEquals("r1", ack.getRpcAck().getRequestId());
        assertEquals("agent", ack.getDestinationIdentities(0));
        DataPacket response = next();
        assertEquals("r1", response.getRpcResponse().getRequestId());
        assertEquals("ok", response.getRpcResponse().getPayload());
    }

    @Test
    void unknownMethodIs1400AndWrongVersionIs1404() throws Exception {
        rpc.onPacket(request("agent", "r1", "lk.nope", 1));
        next();
        assertEquals(1400, next().getRpcResponse().getError().getCode());
        rpc.register("m", (c, p) -> "ok");
        rpc.onPacket(request("agent", "r2", "m", 2));
        assertEquals("r2", next().getRpcAck().getRequestId());
        assertEquals(1404, next().getRpcResponse().getError().getCode());
    }

    @Test
    void handlerErrorsTravelAsRpcErrors() throws Exception {
        rpc.register("m", (c, p) -> {
            throw new RpcException(1500, "reject");
        });
        rpc.register("boom", (c, p) -> {
            throw new IllegalStateException("secret detail");
        });
        rpc.onPacket(request("x", "r1", "m", 1));
        next();
        assertEquals(1500, next().getRpcResponse().getError().getCode());
        rpc.onPacket(request("x", "r2", "boom", 1));
        next();
        RpcError error = next().getRpcResponse().getError();
        assertEquals(1500, error.getCode());
        assertFalse(error.getMessage().contains("secret"));
    }

    @Test
    void callCompletesOnResponse() throws Exception {
        CompletableFuture<String> result = rpc.call("agent", "lk.playback_finished", "{}", Duration.ofSeconds(8));
        RpcRequest request = next().getRpcRequest();
        assertEquals(1, request.getVersion());
        assertEquals("lk.playback_finished", request.getMethod());
        assertEquals(8000, request.getResponseTimeoutMs());
        rpc.onPacket(DataPacket.newBuilder().setRpcAck(RpcAck.newBuilder().setRequestId(request.getId())).build());
        rpc.onPacket(DataPacket.newBuilder().setRpcResponse(RpcResponse.newBuilder()
                .setRequestId(request.getId()).setPayload("ok")).build());
        assertEquals("ok", result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void callWithoutAckFailsWith1501() throws Exception {
        CompletableFuture<String> result = rpc.call("agent", "m", "", Duration.ofSeconds(8));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertEquals(1501, ((RpcException) e.getCause()).code());
    }

    @Test
    void ackedCallWithoutResponseFailsWith1502() throws Exception {
        CompletableFuture<String> result = rpc.call("agent", "m", "", Duration.ofMillis(100));
        String id = next().getRpcRequest().getId();
        rpc.onPacket(DataPacket.newBuilder().setRpcAck(RpcAck.newBuilder().setRequestId(id)).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertEquals(1502, ((RpcException) e.getCause()).code());
    }

    @Test
    void errorResponseAndSendFailureAndTooLargePayload() throws Exception {
        CompletableFuture<String> result = rpc.call("agent", "m", "", Duration.ofSeconds(8));
        String id = next().getRpcRequest().getId();
        rpc.onPacket(DataPacket.newBuilder().setRpcResponse(RpcResponse.newBuilder().setRequestId(id)
                .setError(RpcError.newBuilder().setCode(1400).setMessage("unsupported"))).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertEquals(1400, ((RpcException) e.getCause()).code());

        RpcEndpoint broken = new RpcEndpoint(p -> {
            throw new IllegalStateException("channel closed");
        }, timers, Runnable::run);
        e = assertThrows(ExecutionException.class,
                () -> broken.call("agent", "m", "", Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS));
        assertEquals(1505, ((RpcException) e.getCause()).code());

        e = assertThrows(ExecutionException.class,
                () -> rpc.call("agent", "m", "x".repeat(RpcEndpoint.MAX_PAYLOAD_BYTES + 1), Duration.ofSeconds(1)).get());
        assertEquals(1402, ((RpcException) e.getCause()).code());
    }

    @Test
    void closeFailsPendingCalls() {
        // why: an ack timeout far beyond the test, so only close() can end the call (with the 200 ms one, a slow
        // first call on a loaded host was failed by its ack timer, 1501, before close() ran)
        RpcEndpoint patient = new RpcEndpoint(sent::add, timers, Runnable::run, Duration.ofMinutes(5));
        CompletableFuture<String> result = patient.call("agent", "m", "", Duration.ofSeconds(8));
        patient.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RpcException.class, e.getCause());
        assertEquals(1503, ((RpcException) e.getCause()).code());
    }
}
