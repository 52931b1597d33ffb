package dev.avatarfleet.worker.node;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.fleet.DeadWorkerReaper;
import dev.avatarfleet.common.fleet.RetentionDuty;
import dev.avatarfleet.common.http.ErrorMapping;
import dev.avatarfleet.common.kafka.LaunchConsumer;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.worker.claim.Claimer;
import dev.avatarfleet.worker.claim.SessionStarter;
import dev.avatarfleet.worker.claim.SlotTable;
import dev.avatarfleet.worker.claim.StopListener;
import dev.avatarfleet.worker.session.SessionFactory;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;

/**
 * One worker node: its HTTP server ({@code /health}, {@code /ready} and any added services), its
 * heartbeat, model warm-up, stop listener, claimer and retention duty. {@link #close()} drains:
 * it stops claiming, tells the fleet it takes no new task, waits up to {@code DRAIN_TIMEOUT} for
 * its sessions to end, then stops the rest.
 */
public final class WorkerNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkerNode.class.getName());

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
    private volatile boolean modelReady;
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.function.BooleanSupplier renderSaturated;

    private WorkerNode(FleetSettings fleet, WorkerSettings settings, WorkerComponents components, Clock clock) {
        this.settings = settings;
        this.plane = ControlPlane.connect(fleet, clock);
        this.slots = new SlotTable(settings.maxSessions());
        this.renderSaturated = components.saturated();
        var web = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .directHandlers(ErrorMapping.directHandlers())
                .routing(r -> {
                    r.register(new WorkerHealthService(this::state));
                    for (HttpService s : components.httpServices()) {
                        r.register(s);
                    }
                    ErrorMapping.install(r, "worker");
                });
        this.server = web.build().start();
        this.url = settings.port() == 0 ? "http://" + settings.host() + ":" + server.port() : settings.workerUrl().toString();
        this.heartbeat = new Heartbeat(plane.registry(), plane.store(), slots, this::state);
        heartbeat.start(fleet.heartbeatInterval());
        ensureTopic();
        SessionFactory sessions = settings.autoPrewarm() ? components.sessions() : new LazyWarmup(components.warmup(), components.sessions());
        if (settings.autoPrewarm()) {
            Thread.ofVirtual().name("model-warmup").start(() -> warmUp(components.warmup()));
        } else {
            // why: AUTO_PREWARM=false defers the model to the first session (cold-start testing)
            modelReady = true;
        }
        this.stopListener = StopListener.start(plane.store(), settings.workerId(), slots);
        SessionStarter starter = new SessionStarter(sessions, plane.store(), plane.images(), slots, settings.workerId());
        // why: a crashed worker's tasks would hold fleet capacity forever; every worker watches the others
        this.reaper = new DeadWorkerReaper(plane.registry(), plane.store(), plane.taskLog(), fleet.taskMaxAttempts());
        recoverPredecessorTasks();
        this.claimer = new Claimer(new LaunchConsumer(fleet, settings.workerId(), 1), plane.store(), slots, starter,
                settings.workerId(), () -> modelReady && !draining && !renderSaturated.getAsBoolean());
        // why: a worker is ready only once its share member has joined; before that a launch waits for the join
        claimer.onJoined(heartbeat::beatOnce);
        claimer.start();
        this.retention = RetentionDuty.start(plane.store(), fleet.pruneInterval());
        reaper.start(fleet.deadWorkerTimeout().dividedBy(2));
        LOG.info("worker " + settings.workerId() + " up at " + url + " with " + settings.maxSessions() + " slots");
    }

    /** Starts a worker; returns once its server listens (the model may still be warming). */
    public static WorkerNode start(FleetSettings fleet, WorkerSettings settings, WorkerComponents components, Clock clock) {
        return new WorkerNode(fleet, settings, components, clock);
    }

    /**
     * Before the first claim: tasks still recorded on this worker id belong to an earlier process with the
     * same {@code WORKER_ID} that was killed (a crash, {@code ops/stack restart}, a pod rescheduled under its
     * name). This process heartbeats under that id at once, so no reaper would ever declare it dead and the
     * tasks would stay running on nothing, holding fleet capacity; they are replayed as their next attempt.
     */
    private void recoverPredecessorTasks() {
        try {
            int requeued = reaper.recoverTasksOf(settings.workerId());
            if (requeued > 0) {
                LOG.info("worker " + settings.workerId() + " replayed " + requeued + " task(s) an earlier process with its id left behind");
            }
        } catch (RuntimeException e) {
            // why: Redis or Kafka briefly down; say so loudly rather than fail the worker's start
            LOG.log(Level.WARNING, "tasks of an earlier process with this worker id not recovered", e);
        }
    }

    private void ensureTopic() {
        try {
            plane.taskLog().ensureTopic();
        } catch (DependencyUnavailableException e) {
            // why: the share consumer waits for the topic; an API node creates it too
            LOG.warning("launch topic not ensured yet: " + e.getMessage());
        }
    }

    private void warmUp(ModelWarmup warmup) {
        try {
            warmup.warmUp();
            modelReady = true;
            heartbeat.beatOnce();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "model warm-up failed; this worker stays not ready", e);
        }
    }

    /** What the heartbeat writes and {@code /health} and {@code /ready} show. */
    public WorkerState state() {
        return new WorkerState(settings.workerId(), url, settings.maxSessions(), slots.active(), ready(),
                slots.free() == 0 || renderSaturated.getAsBoolean(), draining, null);
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
     * Stops claiming and waits up to {@code DRAIN_TIMEOUT} for the sessions to end; then stops the
     * ones left and waits a little for them to record their end.
     */
    public void drain() {
        draining = true;
        heartbeat.beatOnce();
        claimer.close();
        try {
            if (!slots.awaitEmpty(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("drain timeout: stopping " + slots.active() + " sessions");
                slots.stopAll("worker shutting down");
                slots.awaitEmpty(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains, leaves the registry and stops everything. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        drain();
        reaper.close();
        retention.close();
        stopListener.close();
        heartbeat.close();
        try {
            plane.registry().deregister(settings.workerId());
        } catch (DependencyUnavailableException e) {
            LOG.warning("could not leave the registry: " + e.getMessage());
        }
        server.stop();
        plane.close();
    }

    /**
     * Stops this node as a crash would: no drain, no end written for its sessions, no leaving the
     * registry. Its heartbeat stops, so the fleet declares it dead and recovers its tasks. For
     * recovery tests.
     */
    public void halt() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.close();
        reaper.close();
        retention.close();
        stopListener.close();
        draining = true;
        claimer.close();
        server.stop();
        plane.close();
    }

    /** Runs the warm-up once, before the first session (AUTO_PREWARM=false). */
    private static final class LazyWarmup implements SessionFactory {
        private final ModelWarmup warmup;
        private final SessionFactory delegate;
        private boolean warmed;

        LazyWarmup(ModelWarmup warmup, SessionFactory delegate) {
            this.warmup = warmup;
            this.delegate = delegate;
        }

        @Override
        public synchronized dev.avatarfleet.worker.session.AvatarSession start(dev.avatarfleet.common.task.LaunchSpec spec, byte[] image,
                                                                             dev.avatarfleet.worker.session.SessionEvents events) {
            if (!warmed) {
                try {
                    warmup.warmUp();
                    warmed = true;
                } catch (Exception e) {
                    throw new IllegalStateException("model warm-up failed: " + e.getMessage(), e);
                }
            }
            return delegate.start(spec, image, events);
        }
    }
}
