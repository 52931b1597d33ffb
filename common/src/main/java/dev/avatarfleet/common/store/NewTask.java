package dev.avatarfleet.common.store;

import java.util.List;
import java.util.Objects;

/**
 * A validated launch about to be admitted: what the task record needs at creation.
 *
 * @param roomName  the LiveKit room
 * @param identity  the avatar participant's identity (token {@code sub}); with the room it keys de-duplication
 * @param avatarId  the caller's avatar id, or null
 * @param imageHash SHA-256 hex of the stored avatar image, or null for the default avatar
 * @param warnings  notes from intake (e.g. no face detected), possibly empty
 * @param billingKeyId the fingerprint of the billing secret the session is accounted to, or null
 */
public record NewTask(String roomName, String identity, String avatarId, String imageHash, List<String> warnings,
                      String billingKeyId) {

    public NewTask {
        Objects.requireNonNull(roomName, "roomName");
        identity = identity == null ? "" : identity;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A task accounted to no billing secret. */
    public NewTask(String roomName, String identity, String avatarId, String imageHash, List<String> warnings) {
        this(roomName, identity, avatarId, imageHash, warnings, null);
    }
}
