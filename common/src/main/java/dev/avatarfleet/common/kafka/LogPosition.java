package dev.avatarfleet.common.kafka;

/** Where a launch record sits on the launch topic. */
public record LogPosition(int partition, long offset) {
}
