package dev.avatarfleet.api.launch;

import dev.avatarfleet.api.image.ImageResolver.ResolvedImage;

/**
 * The storage side of a launch, reached only after every check passed: dedup by room and
 * identity, atomic admission (503 {@code not_ready} / {@code at_capacity}), the image stored once,
 * the task recorded as pending and its launch record produced to Kafka.
 */
@FunctionalInterface
public interface LaunchIntake {
    /** What {@code POST /launch} answers: the new task, or the active one a repeated launch found. */
    record Admitted(String taskId, String roomName, String status, boolean existing) {
    }

    /**
     * Admits and enqueues the launch.
     *
     * @throws dev.avatarfleet.common.http.ApiException 503 when the fleet cannot take it
     */
    Admitted admit(ValidLaunch launch, ResolvedImage image);
}
