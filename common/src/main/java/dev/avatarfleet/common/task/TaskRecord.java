package dev.avatarfleet.common.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One task as {@code GET /tasks/{id}} shows it. The first six fields are the seed container's,
 * exactly; the rest are what a fleet adds (which worker, which attempt, when each transition
 * happened, where the launch record sits in Kafka). Null fields are written as {@code null}.
 *
 * @param taskId          {@code task_id}
 * @param roomName        {@code room_name}
 * @param status          {@code status}
 * @param createdAt       {@code created_at}: accepted by an API node
 * @param completedAt     {@code completed_at}: reached a terminal status
 * @param error           {@code error}: why it failed (always set when failed)
 * @param workerId        {@code worker_id}: the worker that claimed it
 * @param attempts        {@code attempts}: how many times a worker claimed it
 * @param warnings        {@code warnings}: notes from intake and the session (e.g. no face found)
 * @param claimedAt       {@code claimed_at}: a worker claimed it
 * @param runningAt       {@code running_at}: the avatar joined the room
 * @param stopRequestedAt {@code stop_requested_at}: {@code POST /tasks/{id}/stop} arrived
 * @param endReason       {@code end_reason}: how it ended (agent_left, idle_timeout, stop, ...)
 * @param identity        {@code avatar_identity}: the avatar participant's identity (token {@code sub})
 * @param avatarId        {@code avatar_id}: the caller's avatar id
 * @param imageHash       {@code image_hash}: SHA-256 of the avatar image, null for the default
 * @param kafkaPartition  {@code kafka_partition} of the launch record, null until produced
 * @param kafkaOffset     {@code kafka_offset} of the launch record, null until produced
 * @param billingKeyId    {@code billing_key_id}: fingerprint of the billing secret (the launch's {@code api_secret},
 *                        else {@code BITHUMAN_API_SECRET}) the session is accounted to; null when there is none
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"task_id", "room_name", "status", "created_at", "completed_at", "error"})
public record TaskRecord(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("room_name") String roomName,
        @JsonProperty("status") TaskStatus status,
        @JsonProperty("created_at") @JsonSerialize(using = SeedTime.Serializer.class) Instant createdAt,
        @JsonProperty("completed_at") @JsonSerialize(using = SeedTime.Serializer.class) Instant completedAt,
        @JsonProperty("error") String error,
        @JsonProperty("worker_id") String workerId,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("warnings") List<String> warnings,
        @JsonProperty("claimed_at") @JsonSerialize(using = SeedTime.Serializer.class) Instant claimedAt,
        @JsonProperty("running_at") @JsonSerialize(using = SeedTime.Serializer.class) Instant runningAt,
        @JsonProperty("stop_requested_at") @JsonSerialize(using = SeedTime.Serializer.class) Instant stopRequestedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("avatar_identity") String identity,
        @JsonProperty("avatar_id") String avatarId,
        @JsonProperty("image_hash") String imageHash,
        @JsonProperty("kafka_partition") Integer kafkaPartition,
        @JsonProperty("kafka_offset") Long kafkaOffset,
        @JsonProperty("billing_key_id") String billingKeyId) {

    public TaskRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Whether a stop was requested (the worker stops it within a second). */
    public boolean stopRequested() {
        return stopRequestedAt != null;
    }
}
