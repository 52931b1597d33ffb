package dev.avatarfleet.worker.node;

import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionEvents;
import dev.avatarfleet.worker.session.SessionFactory;

/**
 * The default session factory until the real avatar session is wired in: it ends every claimed
 * task at once as {@code failed} with an error naming what is missing. It never reports running.
 */
public final class UnbuiltSessionFactory implements SessionFactory {

    public static final String ERROR = "worker has no avatar session: the LiveKit participant (issue 5) and renderer (issue 4) are not built yet";

    @Override
    public AvatarSession start(LaunchSpec spec, byte[] avatarImage, SessionEvents events) {
        events.ended(SessionEnd.failed(ERROR));
        return reason -> {
            // why: already ended; stop is idempotent by contract
        };
    }
}
