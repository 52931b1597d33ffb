package dev.avatarfleet.common.task;

import java.util.Objects;

/**
 * What a worker needs to run one avatar session: the validated launch, as the API accepted it
 * and as it travels on the launch topic. The avatar image itself is stored once in Redis by
 * content hash; the spec carries only that hash ({@code null} means the default avatar).
 *
 * @param taskId       the task's id, as returned by {@code POST /launch}
 * @param attempt      1 for the first run; a replay after a worker died counts up
 * @param roomName     the LiveKit room (equal to the token's room grant)
 * @param livekitUrl   ws, wss, http or https URL of the LiveKit server
 * @param livekitToken the JWT the avatar joins with
 * @param imageHash    SHA-256 hex of the avatar image bytes in the image store, or null
 * @param prompt       the motion prompt ("A person is talking naturally." when not given)
 * @param avatarId     the caller's avatar id (multipart {@code avatar_id} / JSON {@code agent_id}), or null
 * @param identity     the avatar participant's identity, read from the token's {@code sub}
 * @param epoch        the generation of the fleet's Redis data the task was admitted in (null in records written
 *                     before epochs): a worker adopts a record whose task is unknown only when it is of an earlier
 *                     generation, i.e. Redis lost the task, not when the task ended and was pruned
 */
public record LaunchSpec(
        String taskId,
        int attempt,
        String roomName,
        String livekitUrl,
        String livekitToken,
        String imageHash,
        String prompt,
        String avatarId,
        String identity,
        String epoch) {

    public static final String DEFAULT_PROMPT = "A person is talking naturally.";

    public LaunchSpec {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(livekitUrl, "livekitUrl");
        Objects.requireNonNull(livekitToken, "livekitToken");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        if (prompt == null || prompt.isBlank()) {
            prompt = DEFAULT_PROMPT;
        }
    }

    /** A launch admitted before epochs (or by a caller that has none). */
    public LaunchSpec(String taskId, int attempt, String roomName, String livekitUrl, String livekitToken, String imageHash,
                      String prompt, String avatarId, String identity) {
        this(taskId, attempt, roomName, livekitUrl, livekitToken, imageHash, prompt, avatarId, identity, null);
    }

    /** The same launch, run again as the next attempt. */
    public LaunchSpec nextAttempt() {
        return asAttempt(attempt + 1);
    }

    /** The same launch as attempt {@code n}. */
    public LaunchSpec asAttempt(int n) {
        return new LaunchSpec(taskId, n, roomName, livekitUrl, livekitToken, imageHash, prompt, avatarId, identity, epoch);
    }

    /** The same launch, marked as of this generation of the fleet's Redis data. */
    public LaunchSpec inEpoch(String e) {
        return new LaunchSpec(taskId, attempt, roomName, livekitUrl, livekitToken, imageHash, prompt, avatarId, identity, e);
    }
}
