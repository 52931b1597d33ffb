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
        String identity) {

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

    /** The same launch, run again as the next attempt. */
    public LaunchSpec nextAttempt() {
        return new LaunchSpec(taskId, attempt + 1, roomName, livekitUrl, livekitToken, imageHash, prompt, avatarId, identity);
    }
}
