package dev.avatarfleet.worker.claim;


import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the session of a task this worker has just claimed (its slot is already reserved). */
public final class SessionStarter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStarter.class);

    private final SessionFactory factory;
    private final RedisTaskStore store;
    private final ImageStore images;
    private final SlotTable slots;
    private final String workerId;
    private final Handover handover;
    private final FleetSettings.Backoff backoff;

    public SessionStarter(SessionFactory factory, RedisTaskStore store, ImageStore images, SlotTable slots, String workerId,
                          Handover handover, FleetSettings.Backoff backoff) {
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
        Thread.ofVirtual().name("session-start-" + spec.taskId()).start(() -> startNow(spec));
    }

    private void startNow(LaunchSpec spec) {
        TaskEvents events = new TaskEvents(spec, workerId, store, slots, handover, backoff);
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
