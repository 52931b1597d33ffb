package dev.avatarfleet.common.fleet;

import java.util.Objects;
import java.util.Optional;

import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the launch of a task that is pending again (a dead worker's, one handed back, one nobody claimed) as its
 * next attempt: read back from its Kafka record while that is still in the topic, else from the launch kept with the
 * task since its admission; in the current epoch, with its image's life renewed. A duplicate record is harmless:
 * a claim is per attempt.
 */
public final class LaunchRequeue {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchRequeue.class);

    private final RedisTaskStore store;
    private final KafkaTaskLog log;
    private final ImageStore images;

    public LaunchRequeue(RedisTaskStore store, KafkaTaskLog log, ImageStore images) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.images = Objects.requireNonNull(images, "images");
    }

    /**
     * Produces attempt {@code nextAttempt} of the task and records where it went; empty when the task has neither a
     * readable Kafka record nor a kept launch (the caller fails it). Redis or Kafka being down is thrown: the task
     * stays pending, and the pending sweeper enqueues it later.
     */
    public Optional<LogPosition> enqueue(String taskId, int nextAttempt) {
        Optional<TaskRecord> task = store.get(taskId);
        if (task.isEmpty()) {
            return Optional.empty();
        }
        Optional<LaunchSpec> source = readBack(task.get());
        if (source.isEmpty()) {
            return Optional.empty();
        }
        LaunchSpec next = source.get().asAttempt(nextAttempt).inEpoch(store.epoch());
        if (next.imageHash() != null && !images.renew(next.imageHash())) {
            LOG.warn("task {}: its avatar image {} is no longer in the image store; the attempt will fail", taskId, next.imageHash());
        }
        LogPosition pos = log.append(next);
        store.recordLogPosition(taskId, pos.partition(), pos.offset());
        return Optional.of(pos);
    }

    /** The task's launch: its Kafka record if still in the topic, else the launch kept with it. */
    public Optional<LaunchSpec> readBack(TaskRecord task) {
        if (task.kafkaPartition() != null && task.kafkaOffset() != null) {
            Optional<LaunchSpec> fromLog = log.readAt(task.kafkaPartition(), task.kafkaOffset());
            if (fromLog.isPresent() && fromLog.get().taskId().equals(task.taskId())) {
                return fromLog;
            }
        }
        return store.launchOf(task.taskId());
    }
}
