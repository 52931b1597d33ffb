package dev.avatarfleet.worker.node;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.fleet.DeadWorkerReaper;
import dev.avatarfleet.common.fleet.PendingSweeper;
import dev.avatarfleet.common.fleet.RetentionDuty;
import dev.avatarfleet.common.http.ErrorMapping;
import dev.avatarfleet.common.kafka.LaunchConsumer;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.worker.claim.Claimer;
import dev.avatarfleet.worker.claim.Handover;
import dev.avatarfleet.worker.claim.SessionStarter;
import dev.avatarfleet.worker.claim.SlotTable;
import dev.avatarfleet.worker.claim.StopListener;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker node: its HTTP server ({@code /health}, {@code /ready} and any added services), its
 * heartbeat, model warm-up, stop listener, claimer and the fleet duties (dead-worker recovery, the
 * pending sweeper, retention), on a {@link ControlPlane} its caller connected (and closes after it).
 * {@link #close()} drains: it stops claiming, tells the fleet it takes no new task, waits up to
 * {@code DRAIN_TIMEOUT} for its sessions to end, then hands the rest over to other workers (each
 * continues there as its next attempt) and leaves the registry once no task is recorded on it.
 *
 * <p>With {@code AUTO_PREWARM=true} the node runs {@link WorkerComponents#warmup()} before its first
 * claim and is not ready until it returns; with false it is ready at once and the session factory warms
 * itself on its first session.
 */
public final class WorkerNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

    private final WorkerSettings settings;
    private final ControlPlane plane;
    private final SlotTable slots;
    private final WebServer server;
    private final String url;
    private final Heartbeat heartbeat;
    private final StopListener stopListener;
    private volatile Claimer claimer;
    private final RetentionDuty retention;
    private final DeadWorkerReaper reaper;
    private final PendingSweeper sweeper;
    private volatile boolean modelReady;
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.function.BooleanSupplier renderSaturated;
    private final java.util.function.IntSupplier costCapacity;

    private WorkerNode(WorkerSettings settings, ControlPlane plane, WorkerComponents components, Clock clock) {
        FleetSettings fleet = plane.settings();
        this.settings = settings;
        this.plane = plane;
        this.slots = new SlotTable(settings.maxSessions());
        this.renderSaturated = components.saturated();
        this.costCapacity = components.capacity();
        var web = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .directHandlers(ErrorMapping.directHandlers())
                .routing(r -> {
                    r.register(new WorkerHealthService(this::state, slots::stopping));
                    for (HttpService s : components.httpServices()) {
                        r.register(s);
                    }
                    ErrorMapping.install(r, "worker");
                });
        this.server = web.build().start();
        this.url = settings.port() == 0 ? "http://" + settings.host() + ":" + server.port() : settings.workerUrl().toString();
        Handover handover = new Handover(plane.store(), plane.requeue());
        this.heartbeat = new Heartbeat(plane.registry(), plane.store(), slots, this::state, handover, fleet.deadWorkerTimeout(),
                fleet.heartbeatInterval());
        heartbeat.start(fleet.heartbeatInterval());
        ensureTopic();
        if (settings.autoPrewarm()) {
            Thread.ofVirtual().name("model-warmup").start(() -> warmUp(components.warmup()));
        } else {
            // why: AUTO_PREWARM=false defers the model to the first session (cold-start testing); the session
            // factory warms itself then, so nothing wraps it here
            modelReady = true;
        }
        this.stopListener = StopListener.start(plane.store(), settings.workerId(), slots);
        SessionStarter starter = new SessionStarter(components.sessions(), plane.store(), plane.images(), slots, settings.workerId(),
                handover, fleet.backoff());
        // why: a crashed worker's tasks would hold fleet capacity forever; every worker watches the others
        this.reaper = new DeadWorkerReaper(plane.registry(), plane.store(), plane.requeue(), fleet);
        // why: no claimer before the reconciliation can run: tasks an earlier process with this id left are handed
        // back by the heartbeat, every beat until it succeeds
        this.claimer = new Claimer(new LaunchConsumer(fleet, settings.workerId(), 1), plane.store(), slots, starter,
                settings.workerId(), () -> modelReady && !draining && !renderSaturated.getAsBoolean() && slots.active() < offered()
                        && !heartbeat.fenced(), clock, fleet.backoff());
        // why: a worker is ready only once its share member has joined; before that a launch waits for the join
        claimer.onJoined(heartbeat::beatOnce);
        claimer.start();
        this.retention = RetentionDuty.start(plane.store(), fleet.pruneInterval());
        reaper.start(fleet.heartbeatInterval());
        this.sweeper = new PendingSweeper(plane.store(), plane.registry(), plane.requeue(),
                plane.lease("pending-sweeper", "worker-" + settings.workerId() + "-" + java.util.UUID.randomUUID(),
                        PendingSweeper.leaseTime(fleet.recovery())), fleet.recovery()).start();
        LOG.info("worker " + settings.workerId() + " up at " + url + " with " + settings.maxSessions() + " slots");
    }

    /**
     * Starts a worker on {@code plane} (which the caller closes after {@link #close()}); returns once its
     * server listens (the model may still be warming).
     */
    public static WorkerNode start(WorkerSettings settings, ControlPlane plane, WorkerComponents components, Clock clock) {
        return new WorkerNode(settings, plane, components, clock);
    }

    private void ensureTopic() {
        try {
            plane.taskLog().ensureTopic();
        } catch (DependencyUnavailableException e) {
            // why: the share consumer waits for the topic; an API node creates it too
            LOG.warn("launch topic not ensured yet: " + e.getMessage());
        }
    }

    private void warmUp(ModelWarmup warmup) {
        try {
            warmup.warmUp();
            modelReady = true;
            heartbeat.beatOnce();
        } catch (Exception e) {
            LOG.error("model warm-up failed; this worker stays not ready", e);
        }
    }

    /**
     * What the heartbeat writes and {@code /health} and {@code /ready} show: {@code max_sessions} is what the worker
     * offers now, {@code MAX_SESSIONS} or fewer when a session costs it too much to carry that many at 25 FPS.
     */
    public WorkerState state() {
        int offered = offered();
        return new WorkerState(settings.workerId(), url, offered, slots.active(), ready(),
                slots.active() >= offered || renderSaturated.getAsBoolean(), draining, null);
    }

    /** The sessions this worker offers now: its slots, or fewer when its measured cost says so. */
    public int offered() {
        return Math.max(1, Math.min(settings.maxSessions(), costCapacity.getAsInt()));
    }

    public String id() {
        return settings.workerId();
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return url;
    }

    public SlotTable slots() {
        return slots;
    }

    public boolean modelReady() {
        return modelReady;
    }

    /**
     * Model warm (with the session paths) and the launch share group joined: launches start at once.
     * why: the warm-up thread and the heartbeat timer start before the claimer exists; a worker whose
     * claimer is not built yet has no share member, so it is not ready (reading it as ready let the fleet
     * admit launches on a heartbeat that the next one took back)
     */
    private boolean ready() {
        Claimer c = claimer;
        return modelReady && c != null && c.joined();
    }

    /**
     * Stops claiming at once and waits up to {@code DRAIN_TIMEOUT} for the sessions to end; then hands the ones left
     * over to other workers (each continues there as its next attempt; the agent sees its avatar come back) and waits
     * a little for the hand-backs to be recorded.
     */
    public void drain() {
        draining = true;
        claimer.close();
        heartbeat.beatOnce();
        try {
            if (!slots.awaitEmpty(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("drain timeout: handing over {} session(s)", slots.active());
                slots.handOverAll("worker shutting down: handed over");
                slots.awaitEmpty(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drains, leaves the registry once no task is recorded on it, and stops everything it started (not the control
     * plane: its caller's). A task still recorded here (its hand-back could not be written) keeps the worker in the
     * registry, so a reaper recovers it once the heartbeat is stale.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        drain();
        sweeper.close();
        reaper.close();
        retention.close();
        stopListener.close();
        heartbeat.close();
        try {
            if (!plane.store().forgetWorker(settings.workerId())) {
                LOG.warn("worker {} stays in the registry: tasks are still recorded on it; the fleet recovers them", settings.workerId());
            }
        } catch (DependencyUnavailableException e) {
            LOG.warn("could not leave the registry: {}", e.getMessage());
        }
        server.stop();
    }

    /**
     * Stops this node as a crash would: no drain, no end written for its sessions, no leaving the
     * registry. Its heartbeat stops, so the fleet declares it dead and recovers its tasks. For
     * recovery tests (which close its control plane too, as the crash would).
     */
    public void halt() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.close();
        sweeper.close();
        reaper.close();
        retention.close();
        stopListener.close();
        draining = true;
        claimer.close();
        server.stop();
    }
}
