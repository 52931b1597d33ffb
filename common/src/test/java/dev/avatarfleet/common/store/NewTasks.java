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

    private NewTasks(String roomName) {
        this.roomName = roomName;
    }

    /** A launch in {@code room} for the avatar identity {@code avatar}: default image, no warnings, no billing key. */
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

    public NewTask build() {
        return new NewTask(roomName, identity, avatarId, imageHash, warnings, billingKeyId);
    }
}
