package dev.avatarfleet.worker.claim;


import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.StopSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears {@code POST /tasks/{id}/stop} from any API node on this worker's Redis channel and stops
 * the session within a second. The heartbeat also re-checks stored stop flags, in case a message
 * was missed while the subscription was down.
 */
public final class StopListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopListener.class);

    private final StopSubscription subscription;

    private StopListener(StopSubscription subscription) {
        this.subscription = subscription;
    }

    public static StopListener start(RedisTaskStore store, String workerId, SlotTable slots) {
        return new StopListener(store.subscribeToStops(workerId, taskId -> {
            if (!slots.stop(taskId, "stopped")) {
                LOG.atDebug().log(() -> "stop for task " + taskId + " which this worker does not hold");
            }
        }));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
