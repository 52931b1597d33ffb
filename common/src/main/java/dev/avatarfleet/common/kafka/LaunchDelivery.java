package dev.avatarfleet.common.kafka;

import java.util.Optional;

import dev.avatarfleet.common.task.LaunchSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One launch record a worker acquired from the share group; it must be acknowledged (accept,
 * release or reject) through {@link LaunchConsumer} before the next poll.
 *
 * @param spec          the decoded launch, empty when the record is not a valid launch record
 * @param deliveryCount how many times the group has delivered this record (1 the first time)
 */
public record LaunchDelivery(ConsumerRecord<String, String> record, Optional<LaunchSpec> spec, int deliveryCount) {

    public String key() {
        return record.key();
    }
}
