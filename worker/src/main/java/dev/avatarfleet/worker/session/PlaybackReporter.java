package dev.avatarfleet.worker.session;

import dev.avatarfleet.worker.livekit.RpcEndpoint;
import dev.avatarfleet.worker.livekit.RpcException;
import dev.avatarfleet.worker.session.audio.SegmentPlayed;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the agent, by RPC {@code lk.playback_started} (empty payload), when the first audio of a segment is played,
 * and, by RPC {@code lk.playback_finished}, each time a speech segment has been played out
 * or cut: a played segment at once, the segments a {@code lk.clear_buffer} cut only after that call's
 * response went out (the agent's avatar runner expects them in that order). Reports go out one at a time,
 * off the render thread, each with up to {@link #ATTEMPTS} tries.
 */
final class PlaybackReporter implements AutoCloseable {

    /** Attempts and spacing of a playback report (the avatar runner's rpc_max_retries). */
    static final int ATTEMPTS = 3;
    static final Duration RETRY_DELAY = Duration.ofMillis(100);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(8);
    /** The method the agent is told a segment started on (livekit-agents voice/avatar/_datastream_io.py). */
    static final String STARTED_METHOD = "lk.playback_started";

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackReporter.class);

    private final Supplier<String> agent;
    private final Supplier<RpcEndpoint> rpc;
    private final BooleanSupplier sessionEnded;
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("avatar-notify").factory());
    private volatile List<SegmentPlayed> pendingCut = List.of();
    private final Retry reportRetry;
    // why: an agent that does not register lk.playback_started (the bitHuman plugin passes wait_playback_start=False)
    // answers 1400 UNSUPPORTED_METHOD; like the Python AvatarRunner we then stop calling it for this session
    private volatile boolean startedUnsupported;

    /**
     * @param agent        the agent's identity, or null while it is not known (nothing is reported then)
     * @param rpc          the session's RPC endpoint, or null while it has none
     * @param sessionEnded true once the session ended: a failed report is not tried again
     */
    PlaybackReporter(Supplier<String> agent, Supplier<RpcEndpoint> rpc, BooleanSupplier sessionEnded) {
        this.agent = agent;
        this.rpc = rpc;
        this.sessionEnded = sessionEnded;
        // why: the avatar runner's own rpc_max_retries; a report of a session that ended is not worth another try
        this.reportRetry = Retry.of("lk.playback_finished", RetryConfig.custom()
                .maxAttempts(ATTEMPTS)
                .intervalFunction(IntervalFunction.of(RETRY_DELAY))
                .retryOnException(e -> !(e instanceof InterruptedException) && !sessionEnded.getAsBoolean())
                .failAfterMaxAttempts(false)
                .build());
    }

    /**
     * A segment's first audio is being played: {@code lk.playback_started} goes out, once, ahead of the segment's
     * {@code lk.playback_finished} (the same sender thread, and the reliable channel keeps order). Nobody waits for
     * its answer: a timeout or any error is only logged, 1400 turns the call off for this session.
     */
    void started(String segmentId) {
        notifier.execute(() -> sendStarted(segmentId));
    }

    /** True once the agent answered {@code lk.playback_started} with 1400 (it is not called again). */
    boolean startedUnsupported() {
        return startedUnsupported;
    }

    private void sendStarted(String segmentId) {
        String destination = agent.get();
        RpcEndpoint endpoint = rpc.get();
        if (destination == null || endpoint == null || startedUnsupported || sessionEnded.getAsBoolean()) {
            return;
        }
        endpoint.call(destination, STARTED_METHOD, "", RESPONSE_TIMEOUT).whenComplete((answer, error) -> {
            if (error == null) {
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof RpcException rpcError && rpcError.code() == RpcException.UNSUPPORTED_METHOD) {
                startedUnsupported = true;
                LOG.atDebug().log(() -> "agent does not take " + STARTED_METHOD + ": not called again");
            } else {
                LOG.atDebug().log(() -> STARTED_METHOD + " for " + segmentId + " failed: " + cause);
            }
        });
    }

    /** A segment played to its end: reported now. Called on the render thread; returns at once. */
    void played(SegmentPlayed played) {
        notifier.execute(() -> send(played));
    }

    /** The segments a clear_buffer cut, kept until {@link #reportCut()}. */
    void cut(List<SegmentPlayed> segments) {
        pendingCut = List.copyOf(segments);
    }

    /** The clear_buffer response went out: the segments it cut are reported now. */
    void reportCut() {
        List<SegmentPlayed> cut = pendingCut;
        pendingCut = List.of();
        for (SegmentPlayed played : cut) {
            notifier.execute(() -> send(played));
        }
    }

    private void send(SegmentPlayed played) {
        String destination = agent.get();
        RpcEndpoint endpoint = rpc.get();
        if (destination == null || endpoint == null) {
            return;
        }
        String payload = PlaybackReport.payload(played);
        try {
            reportRetry.executeCheckedSupplier(() -> endpoint.call(destination, PlaybackReport.METHOD, payload, RESPONSE_TIMEOUT)
                    .get(RESPONSE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.atDebug().log(() -> "playback_finished not delivered: " + e.getMessage());
        }
    }

    /** Lets a report in flight finish for a moment, then stops; before the RPC endpoint closes. */
    @Override
    public void close() {
        notifier.shutdown();
        try {
            notifier.awaitTermination(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.shutdownNow();
    }
}
