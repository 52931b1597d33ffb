package dev.avatarfleet.common.store;

/**
 * Test data: a worker's heartbeat ({@link WorkerState}) built by naming only what a test cares about.
 * <pre>{@code registry.heartbeat(WorkerStates.aReadyWorker("w1").withSlots(4).draining().build());}</pre>
 */
public final class WorkerStates {

    private final String id;
    private String url = "http://127.0.0.1:1";
    private int maxSessions = 1;
    private int activeSessions;
    private boolean modelReady = true;
    private boolean saturated;
    private boolean draining;

    private WorkerStates(String id) {
        this.id = id;
    }

    /** A live worker with its model loaded, one free slot, not saturated, not draining. */
    public static WorkerStates aReadyWorker(String id) {
        return new WorkerStates(id);
    }

    public WorkerStates at(String workerUrl) {
        url = workerUrl;
        return this;
    }

    public WorkerStates withSlots(int max) {
        maxSessions = max;
        return this;
    }

    public WorkerStates holding(int sessions) {
        activeSessions = sessions;
        return this;
    }

    /** Its model is still loading. */
    public WorkerStates warming() {
        modelReady = false;
        return this;
    }

    public WorkerStates saturated() {
        saturated = true;
        return this;
    }

    public WorkerStates draining() {
        draining = true;
        return this;
    }

    public WorkerState build() {
        return new WorkerState(id, url, maxSessions, activeSessions, modelReady, saturated, draining, null);
    }
}
