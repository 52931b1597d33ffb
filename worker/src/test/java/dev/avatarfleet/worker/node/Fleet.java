package dev.avatarfleet.worker.node;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTask;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.testkit.TestServers;

/**
 * Test-only: workers on the JVM's shared broker and redis-server, with their own topic, group and
 * key prefix; {@link #launch} does what an API node does (admit, produce, record the position).
 */
public final class Fleet implements AutoCloseable {

    public final FleetSettings settings;
    public final ControlPlane plane;
    private final List<WorkerNode> workers = new ArrayList<>();

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
        WorkerSettings ws = WorkerSettings.fromEnvironment(new Env(java.util.Map.of()))
                .withIdentity(id, 0, maxSessions)
                .withDrainTimeout(drainTimeout);
        WorkerNode node = WorkerNode.start(settings, ws, components, Clock.systemUTC());
        workers.add(node);
        return node;
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
        for (WorkerNode w : workers) {
            w.close();
        }
        plane.close();
    }
}
