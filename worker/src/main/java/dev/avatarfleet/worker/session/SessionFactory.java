package dev.avatarfleet.worker.session;

import dev.avatarfleet.common.task.LaunchSpec;

/** Starts the session for a task this worker has claimed. */
public interface SessionFactory {

    /**
     * Starts the session and returns at once; progress arrives through {@code events}.
     *
     * @param spec        the launch as accepted by the API
     * @param avatarImage the avatar image bytes from the image store, or null for the default avatar
     */
    AvatarSession start(LaunchSpec spec, byte[] avatarImage, SessionEvents events);
}
