package dev.avatarfleet.worker.livekit;

/**
 * The LiveKit side refused or lost the avatar. The message is the readable reason that goes on the
 * task record, always starting with {@code livekit: }, e.g. {@code livekit: 401 token expired}.
 */
public final class LiveKitException extends Exception {

    public LiveKitException(String reason) {
        super(reason.startsWith("livekit: ") ? reason : "livekit: " + reason);
    }

    public LiveKitException(String reason, Throwable cause) {
        super(reason.startsWith("livekit: ") ? reason : "livekit: " + reason, cause);
    }
}
