package dev.avatarfleet.common.kafka;

import java.util.Optional;

import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.task.LaunchSpec;

/** The launch record's value on the topic: the {@link LaunchSpec} as JSON (key: the task id). */
public final class LaunchRecords {

    /** Records above this size are not ours; the consumer rejects them. */
    public static final int MAX_RECORD_CHARS = 64 * 1024;

    private LaunchRecords() {
    }

    public static String encode(LaunchSpec spec) {
        return Json.write(spec);
    }

    /** The spec, or empty when the value is not a valid launch record. */
    public static Optional<LaunchSpec> decode(String value) {
        if (value == null || value.length() > MAX_RECORD_CHARS) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(value, LaunchSpec.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
