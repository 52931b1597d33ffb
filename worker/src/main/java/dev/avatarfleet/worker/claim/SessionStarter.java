package dev.avatarfleet.worker.claim;


import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.logging.LogContext;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.metrics.WorkerMetrics;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionEvents;
import dev.avatarfleet.worker.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the session of a task this worker has just claimed (its slot is already reserved). */
public final class SessionStarter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStarter.class);

    /** The end reason label of a session stopped so that its task continues on another worker. */
    static final String HANDED_OVER = "handed_over";

    private final SessionFactory factory;
    private final RedisTaskStore store;
    private final ImageStore images;
    private final SlotTable slots;
    private final String workerId;
    private final Handover handover;
    private final FleetSettings.Backoff backoff;
    private final WorkerMetrics metrics;

    public SessionStarter(SessionFactory factory, RedisTaskStore store, ImageStore images, SlotTable slots, String workerId,
                          Handover handover, FleetSettings.Backoff backoff) {
        this(factory, store, images, slots, workerId, handover, backoff, WorkerMetrics.create(workerId));
    }

    /** @param metrics counts failovers (attempts after the first) and every session's end by reason */
    public SessionStarter(SessionFactory factory, RedisTaskStore store, ImageStore images, SlotTable slots, String workerId,
                          Handover handover, FleetSettings.Backoff backoff, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.factory = factory;
        this.store = store;
        this.images = images;
        this.slots = slots;
        this.workerId = workerId;
        this.handover = handover;
        this.backoff = backoff;
    }

    /** Starts it on a virtual thread; every failure ends the task as failed with the reason. */
    public void start(LaunchSpec spec) {
        // why: every line of the session carries task_id, worker_id and room_name (LOG_FORMAT=json: fields of their own)
        LogContext context = LogContext.session(spec.taskId(), workerId, spec.roomName());
        Thread.ofVirtual().name("session-start-" + spec.taskId()).start(context.wrap(() -> startNow(spec)));
    }

    /**
     * {@code events}, with the session's end counted by reason; a session stopped to hand its task over (drain, a
     * worker fenced off from Redis, a task Redis no longer records here) counts as {@code handed_over}.
     */
    private SessionEvents counted(String taskId, SessionEvents events) {
        return new SessionEvents() {
            @Override
            public void running() {
                events.running();
            }

            @Override
            public void warnings(java.util.List<String> warnings) {
                events.warnings(warnings);
            }

            @Override
            public void ended(SessionEnd end) {
                // why: an operator reading one session's lines sees how it ended (task_id etc. are in the MDC); logged
                // before the end is recorded, so whoever sees the task ended finds the line
                // why: read before the end is recorded: the hand-back releases the slot, and with it this mark
                boolean handedOver = slots.handingOver(taskId);
                LOG.info("session ended: {} ({})", handedOver ? HANDED_OVER
                        : end.outcome().name().toLowerCase(java.util.Locale.ROOT), end.reason());
                events.ended(end);
                metrics.sessionEnded(handedOver ? HANDED_OVER : reasonLabel(end));
            }
        };
    }

    /**
     * The {@code reason} label of an end: a completed session's own reason ({@code agent_left}, {@code idle_timeout},
     * ...), else its outcome. why: a failure's reason is free text; a label must come from a small set.
     */
    static String reasonLabel(SessionEnd end) {
        return switch (end.outcome()) {
            case COMPLETED -> end.reason() != null && end.reason().matches("[a-z_]{1,32}") ? end.reason() : "completed";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed";
        };
    }

    private void startNow(LaunchSpec spec) {
        SessionEvents events = counted(spec.taskId(), new TaskEvents(spec, workerId, store, slots, handover, backoff));
        if (spec.attempt() > 1) {
            // why: an attempt after the first is a task another worker (dead, fenced, draining) or an earlier process
            // with this id ran, or one replayed by hand
            metrics.failover();
        }
        byte[] image = null;
        try {
            if (spec.imageHash() != null) {
                image = images.get(spec.imageHash()).orElse(null);
                if (image == null) {
                    events.ended(SessionEnd.failed("avatar image " + spec.imageHash() + " is no longer in the image store"));
                    return;
                }
            }
            AvatarSession session = factory.start(spec, image, events);
            slots.attach(spec.taskId(), session);
        } catch (DependencyUnavailableException e) {
            events.ended(SessionEnd.failed("session could not start: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("session of task " + spec.taskId() + " failed to start", e);
            events.ended(SessionEnd.failed("session could not start: " + e));
        } catch (Error e) {
            // why: a native library that cannot load (TensorFlow, libwebrtc) throws an Error; left uncaught it
            // ended this virtual thread silently, the task stayed claimed on a live worker and the slot was lost
            LOG.error("session of task " + spec.taskId() + " failed to start", e);
            events.ended(SessionEnd.failed("session could not start: " + e));
        }
    }
}
