package dev.avatarfleet.api.tasks;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.Replay;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks/{id}/replay}: runs an ended task again, as its next attempt, from its launch record in Kafka. The
 * task keeps its id, creation time and attempts; the room's dedup key is taken again only when no other task holds
 * it. 409 {@code task_active} while it is pending or running, 409 {@code room_busy} when another task runs in its room
 * with its identity, 410 {@code record_gone} when its record aged out of the topic (or was never written), 410
 * {@code image_gone} when its avatar image left the image store.
 */
public final class TaskReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(TaskReplayer.class);

    private final RedisTaskStore store;
    private final KafkaTaskLog log;
    private final ImageStore images;

    public TaskReplayer(RedisTaskStore store, KafkaTaskLog log, ImageStore images) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.images = Objects.requireNonNull(images, "images");
    }

    /**
     * A replay done.
     *
     * @param task     the task, pending again
     * @param attempt  the attempt it runs as
     * @param enqueued whether its record is in the topic already (else the pending sweeper enqueues it)
     */
    public record Replayed(TaskRecord task, int attempt, boolean enqueued) {
    }

    /** Replays {@code task} (as read just before); see the class comment for the refusals. */
    public Replayed replay(TaskRecord task) {
        if (!task.status().isTerminal()) {
            throw ApiException.conflict("task_active", "task " + task.taskId() + " is " + task.status().wire() + "; only an ended task is replayed");
        }
        if (task.kafkaPartition() == null || task.kafkaOffset() == null) {
            throw ApiException.gone("record_gone", "task " + task.taskId() + " has no launch record in Kafka to replay");
        }
        Optional<LaunchSpec> record = log.readAt(task.kafkaPartition(), task.kafkaOffset())
                .filter(s -> s.taskId().equals(task.taskId()));
        if (record.isEmpty()) {
            throw ApiException.gone("record_gone", "the launch record of task " + task.taskId() + " aged out of the launch topic");
        }
        if (record.get().imageHash() != null && !images.renew(record.get().imageHash())) {
            throw ApiException.gone("image_gone", "the avatar image of task " + task.taskId() + " is no longer in the image store");
        }
        return switch (store.replay(task.taskId())) {
            case Replay.NotFound nf -> throw ApiException.notFound("no task " + task.taskId());
            case Replay.Active a -> throw ApiException.conflict("task_active", "task " + task.taskId() + " is " + a.status()
                    + "; only an ended task is replayed");
            case Replay.RoomBusy busy -> throw ApiException.conflict("room_busy", "task " + busy.otherTaskId()
                    + " is active in room " + task.roomName() + " with the same avatar identity");
            case Replay.Replayed replayed -> enqueue(replayed, record.get());
        };
    }

    private Replayed enqueue(Replay.Replayed replayed, LaunchSpec record) {
        String id = replayed.task().taskId();
        try {
            LogPosition pos = log.append(record.asAttempt(replayed.nextAttempt()).inEpoch(store.epoch()));
            store.recordLogPosition(id, pos.partition(), pos.offset());
            LOG.info("task {} replayed by hand as attempt {}", id, replayed.nextAttempt());
            return new Replayed(store.get(id).orElse(replayed.task()), replayed.nextAttempt(), true);
        } catch (DependencyUnavailableException e) {
            // why: the task is pending with its Kafka position; the pending sweeper enqueues it from there
            LOG.warn("task {} replayed as attempt {} but not enqueued yet: {}", id, replayed.nextAttempt(), e.getMessage());
            return new Replayed(replayed.task(), replayed.nextAttempt(), false);
        }
    }
}
