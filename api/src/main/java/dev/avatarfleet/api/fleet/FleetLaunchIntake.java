package dev.avatarfleet.api.fleet;

import dev.avatarfleet.api.image.ImageResolver.ResolvedImage;
import dev.avatarfleet.api.launch.LaunchIntake;
import dev.avatarfleet.api.launch.ValidLaunch;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.NewTask;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.Unenqueued;
import dev.avatarfleet.common.task.TaskRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch path through the fleet's shared state: atomic admission in Redis (dedup by room and
 * identity, then {@code not_ready} / {@code at_capacity}), the image stored once by content hash,
 * the launch record produced to Kafka and its position kept on the task.
 *
 * <p>The admission keeps the launch with the task, so a task whose record is never produced (this node
 * dies between the admission and the produce) is still enqueued, by the pending sweeper. If Kafka (or
 * the image store) fails after the task was recorded, the task is failed with the reason and the launch
 * answers 503, but only while it is pending and unclaimed: a produce that timed out may have been
 * written, and when a worker claimed the task already the launch answers 200 with it.
 */
public final class FleetLaunchIntake implements LaunchIntake {
    private static final Logger LOG = LoggerFactory.getLogger(FleetLaunchIntake.class);
    /** why: when a tenant's session ends is not known; the plugin retries 2 s apart anyway, a person a little later */
    static final java.time.Duration QUOTA_RETRY_AFTER = java.time.Duration.ofSeconds(10);

    private final RedisTaskStore store;
    private final ImageStore images;
    private final KafkaTaskLog taskLog;

    public FleetLaunchIntake(RedisTaskStore store, ImageStore images, KafkaTaskLog taskLog) {
        this.store = store;
        this.images = images;
        this.taskLog = taskLog;
    }

    @Override
    public Admitted admit(ValidLaunch launch, ResolvedImage image) {
        // why: hash first, store the bytes only once admitted, so a refused launch stores nothing
        String hash = image.isDefault() ? null : ImageStore.sha256(image.bytes());
        long exp = launch.token().expiresAtEpochSecond();
        Admission admission = store.admit(new NewTask(launch.roomName(), launch.token().identity(), launch.avatarId(), hash, List.of(),
                launch.billingKeyId(), launch.livekitUrl(), launch.livekitToken(), launch.prompt(),
                exp > 0 ? Instant.ofEpochSecond(exp) : null), launch.tenancy());
        return switch (admission) {
            case Admission.Existing existing -> reply(existing.task(), true);
            case Admission.Refused refused when refused.reason() == Admission.Reason.QUOTA_EXCEEDED -> throw ApiException.limited(
                    "quota_exceeded", "the tenant's sessions are at its quota (" + refused.activeSessions() + " of "
                            + refused.maxSessions() + " pending or running); one must end first", QUOTA_RETRY_AFTER);
            case Admission.Refused refused -> throw ApiException.unavailable(refused.reason().wire(), switch (refused.reason()) {
                case NOT_READY -> "no live worker has its model loaded";
                case AT_CAPACITY -> "no free session slot in the fleet (" + refused.activeSessions() + " of "
                        + refused.maxSessions() + " in use)";
                case QUOTA_EXCEEDED -> throw new IllegalStateException("answered above");
            });
            case Admission.Admitted admitted -> enqueue(admitted, image);
        };
    }

    private Admitted enqueue(Admission.Admitted admitted, ResolvedImage image) {
        TaskRecord task = admitted.task();
        LogPosition position;
        try {
            if (!image.isDefault()) {
                images.put(image.bytes());
            }
            position = taskLog.append(admitted.launch());
        } catch (DependencyUnavailableException e) {
            Optional<TaskRecord> claimed = failUnlessClaimed(task.taskId(), e.dependency() + " unavailable while enqueueing the launch: "
                    + e.getMessage());
            if (claimed.isPresent()) {
                // why: the record was written although the produce did not say so, and a worker runs the task
                LOG.info("task {}: its produce failed ({}) but a worker claimed it already", task.taskId(), e.getMessage());
                return reply(claimed.get(), false);
            }
            throw ApiException.unavailable("unavailable", e.dependency() + " unavailable: the launch was not enqueued, retry later", e);
        }
        try {
            store.recordLogPosition(task.taskId(), position.partition(), position.offset());
        } catch (DependencyUnavailableException e) {
            // why: the record is in Kafka and the task pending, so a worker will still run it; only replay-by-offset is lost
            LOG.warn("task {} enqueued at {} but its position was not recorded", task.taskId(), position, e);
        }
        return reply(task, false);
    }

    /** Fails the task unless a worker claimed it already; returns the claimed task then. */
    private Optional<TaskRecord> failUnlessClaimed(String taskId, String error) {
        try {
            if (store.failUnenqueued(taskId, error) == Unenqueued.CLAIMED) {
                return store.get(taskId);
            }
        } catch (RuntimeException e) {
            // why: the task stays pending with its launch kept; the pending sweeper enqueues it
            LOG.error("task {} could not be enqueued nor marked failed: {}", taskId, error, e);
        }
        return Optional.empty();
    }

    private static Admitted reply(TaskRecord task, boolean existing) {
        return new Admitted(task.taskId(), task.roomName(), task.status().wire(), existing);
    }
}
