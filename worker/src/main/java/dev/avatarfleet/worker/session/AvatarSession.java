package dev.avatarfleet.worker.session;

/** A session a worker runs for one claimed task. */
public interface AvatarSession {

    /**
     * Asks the session to end as {@code cancelled} ({@code POST /tasks/{id}/stop}); the participant
     * leaves the room within a second and {@link SessionEvents#ended} follows. Idempotent.
     */
    void stop(String reason);
}
