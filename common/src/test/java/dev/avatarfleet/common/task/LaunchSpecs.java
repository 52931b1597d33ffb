package dev.avatarfleet.common.task;

/**
 * Test data: a {@link LaunchSpec} built by naming only what a test cares about.
 * <pre>{@code LaunchSpec spec = LaunchSpecs.aLaunch("t1").inRoom("room-a").withImageHash(hash).build();}</pre>
 */
public final class LaunchSpecs {

    private String taskId;
    private int attempt = 1;
    private String roomName;
    private String livekitUrl = "ws://127.0.0.1:7880";
    private String livekitToken;
    private String imageHash;
    private String prompt;
    private String avatarId;
    private String identity = "avatar";
    private String epoch;

    private LaunchSpecs(String taskId) {
        this.taskId = taskId;
        this.roomName = "room-" + taskId;
        this.livekitToken = "token-" + taskId;
    }

    /** A first attempt for task {@code taskId} in room {@code room-<taskId>}, default avatar and prompt. */
    public static LaunchSpecs aLaunch(String taskId) {
        return new LaunchSpecs(taskId);
    }

    /** The launch {@code task} was admitted with, as its {@code attempt}-th run. */
    public static LaunchSpecs aLaunchOf(TaskRecord task, int attempt) {
        return aLaunch(task.taskId()).inRoom(task.roomName()).attempt(attempt);
    }

    public LaunchSpecs attempt(int n) {
        attempt = n;
        return this;
    }

    public LaunchSpecs inRoom(String room) {
        roomName = room;
        return this;
    }

    public LaunchSpecs at(String url) {
        livekitUrl = url;
        return this;
    }

    public LaunchSpecs withToken(String token) {
        livekitToken = token;
        return this;
    }

    public LaunchSpecs withImageHash(String hash) {
        imageHash = hash;
        return this;
    }

    public LaunchSpecs withPrompt(String text) {
        prompt = text;
        return this;
    }

    public LaunchSpecs withAvatarId(String id) {
        avatarId = id;
        return this;
    }

    public LaunchSpecs as(String avatarIdentity) {
        identity = avatarIdentity;
        return this;
    }

    public LaunchSpecs inEpoch(String e) {
        epoch = e;
        return this;
    }

    public LaunchSpec build() {
        return new LaunchSpec(taskId, attempt, roomName, livekitUrl, livekitToken, imageHash, prompt, avatarId, identity, epoch);
    }
}
