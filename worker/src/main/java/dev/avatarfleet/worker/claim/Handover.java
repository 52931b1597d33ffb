package dev.avatarfleet.worker.claim;

import java.util.Objects;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.fleet.LaunchRequeue;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.HandBack;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a task this worker holds back to the fleet, to continue on another worker as its next attempt: when the
 * worker drains, when it was cut off from Redis and stopped its sessions, when Redis records a task on it that it
 * does not run. The hand-back is fenced by the claim (a task that moved on is left alone); the next attempt is
 * enqueued at once, and by the pending sweeper if Kafka does not answer now.
 */
public final class Handover {

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    private final RedisTaskStore store;
    private final LaunchRequeue requeue;

    public Handover(RedisTaskStore store, LaunchRequeue requeue) {
        this.store = Objects.requireNonNull(store, "store");
        this.requeue = Objects.requireNonNull(requeue, "requeue");
    }

    /**
     * Hands the task back under {@code claim}; Redis being down is thrown (the caller tries again), Kafka being down
     * is logged (the task is pending and the sweeper enqueues it).
     */
    public HandBack handBack(String taskId, Claim claim) {
        HandBack outcome = store.handBack(taskId, claim);
        if (outcome instanceof HandBack.Requeued r) {
            try {
                if (requeue.enqueue(taskId, r.nextAttempt()).isPresent()) {
                    LOG.info("task {} handed over by worker {}: enqueued as attempt {}", taskId, claim.workerId(), r.nextAttempt());
                } else {
                    store.finish(taskId, TaskStatus.FAILED, "handed over by worker " + claim.workerId()
                            + " but its launch record is gone", "undeliverable", null);
                }
            } catch (DependencyUnavailableException e) {
                LOG.warn("task {} handed back but not enqueued yet (the pending sweeper will): {}", taskId, e.getMessage());
            }
        }
        return outcome;
    }
}
