package dev.avatarfleet.worker;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.node.ModelWarmup;
import dev.avatarfleet.worker.node.WorkerComponents;
import dev.avatarfleet.worker.render.RenderEngine;
import dev.avatarfleet.worker.render.RenderSettings;
import dev.avatarfleet.worker.render.http.RenderRoutes;
import dev.avatarfleet.worker.render.model.ModelSignatureException;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.session.LiveSessionFactory;
import dev.avatarfleet.worker.session.LiveSessionSettings;
import dev.avatarfleet.worker.session.SessionEvents;
import dev.avatarfleet.worker.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a production worker runs its sessions with: the render engine (TensorFlow model, avatar
 * preparer, the one batched render loop) and the LiveKit session factory on top of it. Both exist
 * only after the warm-up, which the worker runs before its first claim (AUTO_PREWARM) so that
 * {@code /health} answers while the model loads; without AUTO_PREWARM the first session runs it.
 *
 * <p>The one path of a session start: {@code SessionStarter} → this → {@link LiveSessionFactory} →
 * {@code LiveAvatarSession}.
 */
final class AvatarRuntime implements ModelWarmup, SessionFactory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AvatarRuntime.class);

    private final WorkerSettings worker;
    private final RenderSettings render;
    private final Function<RenderSettings, RenderEngine> engineStarter;
    private final Consumer<ModelSignatureException> unusableModel;
    private final RenderRoutes routes = new RenderRoutes();
    private volatile RenderEngine engine;
    private volatile LiveSessionFactory sessions;

    /**
     * @param unusableModel told when MODEL_DIR holds a model with another signature: the worker must not run
     */
    AvatarRuntime(WorkerSettings worker, RenderSettings render, Consumer<ModelSignatureException> unusableModel) {
        this(worker, render, RenderEngine::start, unusableModel);
    }

    /** As above, with the engine's start given (a test makes it fail as a missing native library would). */
    AvatarRuntime(WorkerSettings worker, RenderSettings render, Function<RenderSettings, RenderEngine> engineStarter,
                  Consumer<ModelSignatureException> unusableModel) {
        this.worker = Objects.requireNonNull(worker, "worker");
        // why: the render batch is the worker's slot count (MAX_SESSIONS, read once by WorkerSettings)
        this.render = render.withBatchSize(worker.maxSessions());
        this.engineStarter = Objects.requireNonNull(engineStarter, "engineStarter");
        this.unusableModel = Objects.requireNonNull(unusableModel, "unusableModel");
    }

    /** The worker's wiring: this runtime as session factory and warm-up, the render routes, its saturation. */
    WorkerComponents components() {
        return new WorkerComponents(this, this, List.of(routes), this::saturated, this::capacity);
    }

    /** Loads the model and the session paths; does nothing once they are loaded. */
    @Override
    public synchronized void warmUp() {
        if (engine != null) {
            return;
        }
        RenderEngine started;
        try {
            started = engineStarter.apply(render);
        } catch (ModelSignatureException e) {
            unusableModel.accept(e);
            throw e;
        }
        LiveSessionFactory factory = new LiveSessionFactory(started.renderer(), started.preparer(), new LiveSessionSettings(
                render.width(), render.height(), worker.sessionIdleTimeout(), Clock.systemUTC()));
        // why: the first session after start would pay the cold WebSocket, WebRTC and JIT paths (~1 s); pay them now
        factory.warmUp();
        sessions = factory;
        routes.serve(started.httpService());
        engine = started;
        LOG.atInfo().log(() -> "avatar runtime ready: " + render.width() + "x" + render.height() + ", batch " + render.batchSize());
    }

    /**
     * Starts a LiveKit session; the first one runs the warm-up when the worker did not (AUTO_PREWARM=false).
     * A warm-up that fails (an Error from a native library that cannot load, say) fails this start with it.
     */
    @Override
    public AvatarSession start(LaunchSpec spec, byte[] avatarImage, SessionEvents events) {
        LiveSessionFactory factory = sessions;
        if (factory == null) {
            warmUp();
            factory = sessions;
        }
        return factory.start(spec, avatarImage, events);
    }

    /** True while the render loop cannot keep 25 FPS: the worker takes no more sessions. */
    boolean saturated() {
        RenderEngine e = engine;
        return e != null && e.renderer().saturated();
    }

    /**
     * The sessions the render engine can carry at 25 FPS, from its measured cost; unbounded before it is warm and
     * with {@code CAPACITY_FROM_COST=false}.
     */
    int capacity() {
        RenderEngine e = engine;
        return e == null || !render.capacityFromCost() ? Integer.MAX_VALUE : e.capacity().getAsInt();
    }

    /** Called after the worker drained: every session has ended, so the native parts can go. */
    @Override
    public synchronized void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
