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
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch path through the fleet's shared state: atomic admission in Redis (dedup by room and
 * identity, then {@code not_ready} / {@code at_capacity}), the image stored once by content hash,
 * the launch record produced to Kafka and its position kept on the task.
 *
 * <p>If Kafka (or the image store) fails after the task was recorded, the task is marked
 * {@code failed} with the reason and the launch answers 503: it is never left pending with no
 * record for a worker to claim, and the plugin's retry starts a fresh task.
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
        Admission admission = store.admit(new NewTask(launch.roomName(), launch.token().identity(), launch.avatarId(), hash, List.of(),
                launch.billingKeyId()), launch.tenancy());
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
            case Admission.Admitted admitted -> enqueue(admitted.task(), launch, image, hash);
        };
    }

    private Admitted enqueue(TaskRecord task, ValidLaunch launch, ResolvedImage image, String hash) {
        LogPosition position;
        try {
            if (!image.isDefault()) {
                images.put(image.bytes());
            }
            position = taskLog.append(new LaunchSpec(task.taskId(), 1, launch.roomName(), launch.livekitUrl(),
                    launch.livekitToken(), hash, launch.prompt(), launch.avatarId(), launch.token().identity()));
        } catch (DependencyUnavailableException e) {
            failQuietly(task.taskId(), e.dependency() + " unavailable while enqueueing the launch: " + e.getMessage());
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

    private void failQuietly(String taskId, String error) {
        try {
            store.finish(taskId, TaskStatus.FAILED, error, "enqueue_failed", null);
        } catch (RuntimeException e) {
            LOG.error("task {} could not be enqueued nor marked failed: {}", taskId, error, e);
        }
    }

    private static Admitted reply(TaskRecord task, boolean existing) {
        return new Admitted(task.taskId(), task.roomName(), task.status().wire(), existing);
    }
}
