package dev.avatarfleet.worker.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTask;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.testkit.TestServers;

/**
 * Test-only: workers on the JVM's shared broker and redis-server, with their own topic, group and
 * key prefix; each worker on its own {@link ControlPlane}, as separate processes would be (and as
 * {@code WorkerMain} wires one). {@link #launch} does what an API node does (admit, produce, record the position).
 */
public final class Fleet implements AutoCloseable {

    public final FleetSettings settings;
    public final ControlPlane plane;
    private final Map<WorkerNode, ControlPlane> workers = new LinkedHashMap<>();

    public Fleet(String hint) {
        this(hint, TestServers.kafka().bootstrapServers());
    }

    /** A fleet on another broker (e.g. one a test stops and starts). */
    public Fleet(String hint, String bootstrapServers) {
        String prefix = TestServers.uniquePrefix(hint);
        settings = FleetSettings.defaults(bootstrapServers, TestServers.redis().url())
                .withKeyPrefix(prefix)
                .withTopic(prefix + "launches", prefix + "workers")
                .withTiming(Duration.ofMillis(200), Duration.ofMillis(1500));
        plane = ControlPlane.connect(settings, Clock.systemUTC());
        plane.taskLog().ensureTopic();
    }

    public WorkerNode worker(String id, int maxSessions, WorkerComponents components, Duration drainTimeout) {
        WorkerSettings ws = WorkerSettings.fromEnvironment(new Env(Map.of()))
                .withIdentity(id, 0, maxSessions)
                .withDrainTimeout(drainTimeout);
        return worker(ws, components);
    }

    /** A worker with these settings on this fleet's broker and Redis, on a control plane of its own. */
    public WorkerNode worker(WorkerSettings ws, WorkerComponents components) {
        return worker(settings, ws, components);
    }

    /** A worker with other fleet settings (e.g. another broker), on a control plane of its own. */
    public WorkerNode worker(FleetSettings fleet, WorkerSettings ws, WorkerComponents components) {
        ControlPlane own = ControlPlane.connect(fleet, Clock.systemUTC());
        WorkerNode node = WorkerNode.start(ws, own, components, Clock.systemUTC());
        workers.put(node, own);
        return node;
    }

    /** Kills a worker as a crash would ({@link WorkerNode#halt()}) and drops its connections. */
    public void crash(WorkerNode node) {
        node.halt();
        workers.remove(node).close();
    }

    /**
     * Waits until {@code count} workers are registered and every one of them is ready (model warm, share
     * member joined), so a launch now is admitted and delivered.
     */
    public void awaitReady(int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<WorkerState> live = plane.registry().liveWorkers();
            assertEquals(count, live.size(), "live workers: " + live);
            assertTrue(live.stream().allMatch(WorkerState::modelReady), "not all ready: " + live);
        });
    }

    public WorkerNode worker(String id, int maxSessions, HoldingSessionFactory sessions) {
        return worker(id, maxSessions, new WorkerComponents(sessions, () -> { }, List.of()), Duration.ofMillis(300));
    }

    /** Admits and enqueues a launch as an API node would; returns the admission. */
    public Admission launch(String room, String identity) {
        Admission a = plane.store().admit(new NewTask(room, identity, null, null, List.of()));
        if (a instanceof Admission.Admitted admitted) {
            enqueue(admitted.task(), 1);
        }
        return a;
    }

    public LogPosition enqueue(TaskRecord t, int attempt) {
        LaunchSpec spec = new LaunchSpec(t.taskId(), attempt, t.roomName(), "ws://127.0.0.1:7880", "token-" + t.taskId(),
                null, null, null, t.identity());
        LogPosition pos = plane.taskLog().append(spec);
        plane.store().recordLogPosition(t.taskId(), pos.partition(), pos.offset());
        return pos;
    }

    public TaskRecord task(String id) {
        return plane.store().get(id).orElseThrow();
    }

    @Override
    public void close() {
        workers.forEach((node, own) -> {
            node.close();
            own.close();
        });
        plane.close();
    }
}
