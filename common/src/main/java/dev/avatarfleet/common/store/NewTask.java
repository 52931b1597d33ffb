package dev.avatarfleet.common.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated launch about to be admitted: what the task record needs at creation, and the launch itself, which
 * the admission keeps with the task (so the task can be enqueued even if its Kafka record is never produced).
 *
 * @param roomName       the LiveKit room
 * @param identity       the avatar participant's identity (token {@code sub}); with the room it keys de-duplication
 * @param avatarId       the caller's avatar id, or null
 * @param imageHash      SHA-256 hex of the stored avatar image, or null for the default avatar
 * @param warnings       notes from intake (e.g. no face detected), possibly empty
 * @param billingKeyId   the fingerprint of the billing secret the session is accounted to, or null
 * @param livekitUrl     the LiveKit URL the avatar joins
 * @param livekitToken   the token it joins with
 * @param prompt         the motion prompt, or null for the default
 * @param tokenExpiresAt when the token expires (null when it has no {@code exp}): the kept launch expires then
 */
public record NewTask(String roomName, String identity, String avatarId, String imageHash, List<String> warnings,
                      String billingKeyId, String livekitUrl, String livekitToken, String prompt, Instant tokenExpiresAt) {

    public NewTask {
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(livekitUrl, "livekitUrl");
        Objects.requireNonNull(livekitToken, "livekitToken");
        identity = identity == null ? "" : identity;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
