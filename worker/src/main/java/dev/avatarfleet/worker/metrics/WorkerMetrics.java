package dev.avatarfleet.worker.metrics;

import dev.avatarfleet.common.metrics.NodeMetrics;
import dev.avatarfleet.common.store.WorkerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The worker's meters (names of ops/deploy/metrics.json): its slots and state as gauges, the render loop's
 * batch time, each session's frame interval, encode time and time to first frame, sessions ended by reason,
 * failovers and replays. The one door from the worker's code to the registry: the node, the render loop's
 * observer and each session's {@link SessionMeter} call it.
 */
public final class WorkerMetrics {

    private static final Duration[] RENDER_BUCKETS = millis(5, 10, 20, 30, 40, 60, 80, 120, 200, 500);
    private static final Duration[] INTERVAL_BUCKETS = millis(20, 30, 35, 40, 45, 50, 60, 80, 120, 200, 500);
    private static final Duration[] ENCODE_BUCKETS = millis(1, 2, 3, 5, 8, 12, 20, 40, 80);
    private static final Duration[] FIRST_FRAME_BUCKETS = millis(250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000);

    private final NodeMetrics node;
    private final MeterRegistry registry;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Timer renderBatch;
    private final Timer frameInterval;
    private final Timer encode;
    private final Timer firstFrame;
    private final Counter failovers;
    private final Counter fences;
    private volatile Function<String, Optional<Instant>> createdAt = id -> Optional.empty();
    private volatile Supplier<RenderStatus> render = () -> RenderStatus.NONE;

    /**
     * What the render side says of itself on the worker's {@code /health} (and the dashboard's fleet view).
     *
     * @param load   the render loop's recent tick cost over its 40 ms budget (1.0 = no time left)
     * @param device where the model runs ({@code CPU}, {@code GPU: ...}), or null before it is loaded
     */
    public record RenderStatus(double load, String device) {
        static final RenderStatus NONE = new RenderStatus(0, null);
    }

    WorkerMetrics(NodeMetrics node, Clock clock, LongSupplier nanoTime) {
        this.node = node;
        this.registry = node.registry();
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.renderBatch = timer("avatarfleet.render.batch", "one batched TensorFlow render call", RENDER_BUCKETS);
        this.frameInterval = timer("avatarfleet.frame.interval", "time between two frames sent by a session (40 ms at 25 FPS)",
                INTERVAL_BUCKETS);
        this.encode = timer("avatarfleet.encode", "encoding one video frame: libwebrtc's own encoder time per frame"
                + " (outbound-rtp totalEncodeTime / framesEncoded over each stats window)", ENCODE_BUCKETS);
        this.firstFrame = timer("avatarfleet.time.to.first.frame", "from the launch's acceptance (the task's created_at) to the"
                + " session's first frame", FIRST_FRAME_BUCKETS);
        this.failovers = Counter.builder("avatarfleet.failovers")
                .description("sessions this worker started as a later attempt (a task another worker or process ran before, or replayed)").register(registry);
        this.fences = Counter.builder("avatarfleet.worker.fenced")
                .description("times this worker was cut off from Redis long enough to fence itself (its sessions handed over,"
                        + " no claims until Redis answers)").register(registry);
        replays("dead_worker");
        replays("hand_back");
        // why: present at 0 from the start, so rate() and the dashboard see the series before the first end
        for (String reason : java.util.List.of("agent_left", "participant_removed", "idle_timeout", "completed", "cancelled",
                "failed", "handed_over")) {
            ended(reason);
        }
    }

    /** The meters of worker {@code workerId}, on the system clock. */
    public static WorkerMetrics create(String workerId) {
        return new WorkerMetrics(NodeMetrics.create(workerId), Clock.systemUTC(), System::nanoTime);
    }

    /** The registry and {@code /metrics} of the node. */
    public NodeMetrics node() {
        return node;
    }

    /**
     * The worker's slot gauges, read from {@code state} (what its heartbeat writes and {@code /ready} answers)
     * at each scrape.
     */
    public void bindState(Supplier<WorkerState> state) {
        Gauge.builder("avatarfleet.worker.max.sessions", state, s -> s.get().maxSessions())
                .description("MAX_SESSIONS: the slots this worker has").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.worker.sessions.running", state, s -> s.get().activeSessions())
                .description("sessions this worker holds now").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.worker.available.sessions", state, s -> available(s.get()))
                .description("free slots it offers now; 0 when not ready, draining or saturated").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.worker.load.ratio", state, s -> loadRatio(s.get()))
                .description("held sessions / offered capacity, 0..1 (the autoscaler's metric)").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.worker.ready", state, s -> s.get().modelReady() && !s.get().draining() ? 1 : 0)
                .description("1 when the model is loaded and the worker takes launches").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.worker.draining", state, s -> s.get().draining() ? 1 : 0)
                .description("1 while SIGTERM's drain runs").strongReference(true).register(registry);
    }

    /** Where {@link #renderStatus()} reads the render loop's load and device (set once the model is loaded). */
    public void renderStatusFrom(Supplier<RenderStatus> status) {
        this.render = status;
    }

    /** The render loop's load and device now. */
    public RenderStatus renderStatus() {
        return render.get();
    }

    /** Where a session's time to first frame starts: the task's {@code created_at}, looked up by task id. */
    public void createdAtFrom(Function<String, Optional<Instant>> lookup) {
        this.createdAt = lookup;
    }

    /** Free slots offered: what {@code /ready} counts, 0 while not ready, draining or saturated. */
    static int available(WorkerState s) {
        return s.accepting() ? Math.max(0, s.maxSessions() - s.activeSessions()) : 0;
    }

    /**
     * Held sessions over the capacity offered: running / MAX_SESSIONS; 1 when the worker offers nothing more
     * while it holds sessions (saturated render loop, draining), so an autoscaler adds workers.
     */
    static double loadRatio(WorkerState s) {
        if (s.maxSessions() <= 0) {
            return 0;
        }
        if (s.activeSessions() > 0 && (s.saturated() || s.draining())) {
            return 1;
        }
        return Math.min(1.0, s.activeSessions() / (double) s.maxSessions());
    }

    /** One batched model call took {@code nanos}. */
    public void renderBatch(long nanos) {
        renderBatch.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A session ended, for {@code reason} (its {@code end_reason}, or its status when it has none). */
    public void sessionEnded(String reason) {
        ended(reason).increment();
    }

    private Counter ended(String reason) {
        return Counter.builder("avatarfleet.sessions.ended").description("sessions ended, by end reason")
                .tag("reason", reason).register(registry);
    }

    /** A session of a task another (dead) worker ran before started here. */
    public void failover() {
        failovers.increment();
    }

    /** This worker fenced itself: cut off from Redis, it handed its sessions over and stopped claiming. */
    public void fenced() {
        fences.increment();
    }

    /**
     * A launch record enqueued again by this worker, by cause: {@code dead_worker} (its reaper recovered another
     * worker's task), {@code hand_back} (it handed a task of its own back: drain, fenced, reconciliation).
     */
    public void replayed(String cause) {
        replays(cause).increment();
    }

    /** The meter of one session: its frames, their encoding and its first frame. */
    public SessionMeter session(String taskId) {
        return new SessionMeter(taskId, this);
    }

    void frameInterval(long nanos) {
        frameInterval.record(nanos, TimeUnit.NANOSECONDS);
    }

    void encoded(long framesInWindow, double meanSeconds) {
        long nanos = Math.round(meanSeconds * 1e9);
        for (long i = 0; i < framesInWindow; i++) {
            encode.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void firstFrame(String taskId, Instant at) {
        // why: off the render thread: the created_at lookup is a Redis read
        Thread.ofVirtual().name("first-frame-" + taskId).start(() -> {
            try {
                createdAt.apply(taskId).ifPresent(created -> {
                    Duration d = Duration.between(created, at);
                    if (!d.isNegative()) {
                        firstFrame.record(d);
                    }
                });
            } catch (RuntimeException e) {
                // why: a metric is not worth a session; the next session measures again
            }
        });
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    Instant now() {
        return clock.instant();
    }

    private Counter replays(String cause) {
        return Counter.builder("avatarfleet.replays").description("launch records replayed from Kafka, by cause")
                .tag("cause", cause).register(registry);
    }

    private Timer timer(String name, String help, Duration[] buckets) {
        return Timer.builder(name).description(help).serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0]).maximumExpectedValue(buckets[buckets.length - 1]).register(registry);
    }

    private static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }
}
