package dev.avatarfleet.worker.livekit;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SignalRequest;

/**
 * Keeps a signalling link alive as LiveKit clients do (reference §3.4): a ping every {@code ping_interval}
 * (both the {@code ping_req} with a timestamp and the legacy {@code ping}), and a watchdog that reports the
 * link lost once nothing at all has arrived for {@code ping_timeout}.
 *
 * <p>{@link #stop()} is final: a {@link #start} that comes after it (the JoinResponse handled while the
 * connection is being closed) schedules nothing, so no timer outlives its connection.
 */
final class SignalKeepalive {

    /** Used when the JoinResponse names no interval or timeout. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** How often the watchdog looks at the last arrival. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final ScheduledExecutorService timers;
    private final InstantSource clock;
    private final Consumer<SignalRequest> send;
    private final LongSupplier lastReceivedMillis;
    private final Consumer<String> lost;
    private Duration timeout = DEFAULT_TIMEOUT;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> watchdog;
    private boolean stopped;

    /**
     * @param send               where pings go (the signalling link)
     * @param lastReceivedMillis when the link last received anything, in {@code clock} millis
     * @param lost               told (on a timer thread) when the link has been silent for the timeout
     */
    SignalKeepalive(ScheduledExecutorService timers, InstantSource clock, Consumer<SignalRequest> send,
                    LongSupplier lastReceivedMillis, Consumer<String> lost) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.send = Objects.requireNonNull(send, "send");
        this.lastReceivedMillis = Objects.requireNonNull(lastReceivedMillis, "lastReceivedMillis");
        this.lost = Objects.requireNonNull(lost, "lost");
    }

    /**
     * Starts pinging and watching with the server's values (seconds; 0 or less means the default).
     * Does nothing after {@link #stop()} or a first start.
     */
    synchronized void start(int intervalSeconds, int timeoutSeconds) {
        if (stopped || pinger != null) {
            return;
        }
        Duration interval = intervalSeconds > 0 ? Duration.ofSeconds(intervalSeconds) : DEFAULT_INTERVAL;
        timeout = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : DEFAULT_TIMEOUT;
        pinger = timers.scheduleAtFixedRate(this::ping, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        watchdog = timers.scheduleAtFixedRate(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One ping: {@code ping_req} (timestamp, answered by {@code pong_resp}) and the legacy {@code ping}. */
    void ping() {
        if (isStopped()) {
            return;
        }
        long now = clock.millis();
        send.accept(SignalRequest.newBuilder().setPingReq(Ping.newBuilder().setTimestamp(now)).build());
        send.accept(SignalRequest.newBuilder().setPing(now).build());
    }

    /** One watchdog look: reports the link lost when nothing arrived for longer than the timeout. */
    void check() {
        if (isStopped()) {
            return;
        }
        if (clock.millis() - lastReceivedMillis.getAsLong() > timeout.toMillis()) {
            lost.accept("no signalling message for " + timeout.toSeconds() + " s");
        }
    }

    /** Cancels both timers for good. Idempotent. */
    synchronized void stop() {
        stopped = true;
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    private synchronized boolean isStopped() {
        return stopped;
    }
}
