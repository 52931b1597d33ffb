package dev.avatarfleet.common.store;

import java.util.List;

/**
 * Test data: a {@link NewTask} built by naming only what a test cares about.
 * <pre>{@code store.admit(NewTasks.aNewTask("room-a").withWarnings("no face found").build());}</pre>
 */
public final class NewTasks {

    private final String roomName;
    private String identity = "avatar";
    private String avatarId;
    private String imageHash;
    private List<String> warnings = List.of();
    private String billingKeyId;
    private String livekitUrl = "ws://127.0.0.1:7880";
    private String livekitToken;
    private String prompt;
    private java.time.Instant tokenExpiresAt;

    private NewTasks(String roomName) {
        this.roomName = roomName;
        this.livekitToken = "token-" + roomName;
    }

    /**
     * A launch in {@code room} for the avatar identity {@code avatar}: default image, no warnings, no billing key, a
     * token {@code token-<room>} with no expiry for {@code ws://127.0.0.1:7880}.
     */
    public static NewTasks aNewTask(String room) {
        return new NewTasks(room);
    }

    public NewTasks as(String avatarIdentity) {
        identity = avatarIdentity;
        return this;
    }

    public NewTasks withAvatarId(String id) {
        avatarId = id;
        return this;
    }

    public NewTasks withImageHash(String hash) {
        imageHash = hash;
        return this;
    }

    public NewTasks withWarnings(String... notes) {
        warnings = List.of(notes);
        return this;
    }

    public NewTasks billedTo(String keyId) {
        billingKeyId = keyId;
        return this;
    }

    public NewTasks withToken(String token, java.time.Instant expiresAt) {
        livekitToken = token;
        tokenExpiresAt = expiresAt;
        return this;
    }

    public NewTasks at(String url) {
        livekitUrl = url;
        return this;
    }

    public NewTasks withPrompt(String text) {
        prompt = text;
        return this;
    }

    public NewTask build() {
        return new NewTask(roomName, identity, avatarId, imageHash, warnings, billingKeyId, livekitUrl, livekitToken, prompt,
                tokenExpiresAt);
    }
}
