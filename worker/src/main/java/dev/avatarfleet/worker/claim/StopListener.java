package dev.avatarfleet.worker.claim;

import java.util.logging.Logger;

import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.StopSubscription;

/**
 * Hears {@code POST /tasks/{id}/stop} from any API node on this worker's Redis channel and stops
 * the session within a second. The heartbeat also re-checks stored stop flags, in case a message
 * was missed while the subscription was down.
 */
public final class StopListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StopListener.class.getName());

    private final StopSubscription subscription;

    private StopListener(StopSubscription subscription) {
        this.subscription = subscription;
    }

    public static StopListener start(RedisTaskStore store, String workerId, SlotTable slots) {
        return new StopListener(store.subscribeToStops(workerId, taskId -> {
            if (!slots.stop(taskId, "stopped")) {
                LOG.fine(() -> "stop for task " + taskId + " which this worker does not hold");
            }
        }));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
