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
import dev.avatarfleet.common.store.NewTasks;
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
        this(hint, bootstrapServers, TestServers.redis().url());
    }

    /** A fleet on another broker and redis-server (e.g. one a test restarts empty). */
    public Fleet(String hint, String bootstrapServers, String redisUrl) {
        this(hint, bootstrapServers, redisUrl, false);
    }

    private Fleet(String hint, String bootstrapServers, String redisUrl, boolean productionTiming) {
        String prefix = TestServers.uniquePrefix(hint);
        // why: a failover bench kills the worker of one task again and again; every kill is an attempt
        FleetSettings defaults = FleetSettings.fromEnvironment(new Env(Map.of(FleetSettings.KAFKA_BOOTSTRAP_SERVERS.name(), bootstrapServers,
                        FleetSettings.REDIS_URL.name(), redisUrl, FleetSettings.TASK_MAX_ATTEMPTS.name(), productionTiming ? "100" : "3")))
                .withKeyPrefix(prefix)
                .withTopic(prefix + "launches", prefix + "workers");
        settings = productionTiming ? defaults : defaults.withTiming(Duration.ofMillis(200), Duration.ofMillis(1500));
        plane = ControlPlane.connect(settings, Clock.systemUTC());
        plane.taskLog().ensureTopic();
    }

    /** A fleet with the heartbeat and dead-worker timing a production fleet runs with by default (and 100 attempts per task). */
    public static Fleet withProductionTiming(String hint) {
        return new Fleet(hint, TestServers.kafka().bootstrapServers(), TestServers.redis().url(), true);
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
        return worker(fleet, ws, components, Clock.systemUTC());
    }

    /** A worker with other fleet settings whose node, control plane included, runs on {@code clock}. */
    public WorkerNode worker(FleetSettings fleet, WorkerSettings ws, WorkerComponents components, Clock clock) {
        ControlPlane own = ControlPlane.connect(fleet, clock);
        WorkerNode node = WorkerNode.start(ws, own, components, clock);
        workers.put(node, own);
        return node;
    }

    /** A holding worker with these fleet settings (another Redis URL, another clock). */
    public WorkerNode worker(FleetSettings fleet, String id, int maxSessions, HoldingSessionFactory sessions, Clock clock) {
        return worker(fleet, workerSettings(id, maxSessions, Duration.ofMillis(300)), new WorkerComponents(sessions, () -> { }, List.of()), clock);
    }

    /** A worker's own settings: its id, its slots, its drain timeout, a free port. */
    public static WorkerSettings workerSettings(String id, int maxSessions, Duration drainTimeout) {
        return WorkerSettings.fromEnvironment(new Env(Map.of())).withIdentity(id, 0, maxSessions).withDrainTimeout(drainTimeout);
    }

    /** These fleet settings with Redis elsewhere (a proxy a test cuts) and another Redis timeout. */
    public static FleetSettings withRedis(FleetSettings s, String redisUrl, Duration redisTimeout) {
        return s.withRedis(java.net.URI.create(redisUrl), redisTimeout);
    }

    /** These fleet settings with Kafka elsewhere and another Kafka timeout. */
    public static FleetSettings withKafka(FleetSettings s, String bootstrapServers, Duration kafkaTimeout) {
        return s.withKafka(bootstrapServers, kafkaTimeout);
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

    /** Stops a worker as SIGTERM does ({@link WorkerNode#close()}: drain, hand over, leave) and drops its connections. */
    public void shutDown(WorkerNode node) {
        node.close();
        workers.remove(node).close();
    }

    /** Admits and enqueues a launch as an API node would; returns the admission. */
    public Admission launch(String room, String identity) {
        return launch(room, identity, null);
    }

    /** As {@link #launch(String, String)}, with the avatar image of this hash (stored in the image store). */
    public Admission launch(String room, String identity, String imageHash) {
        Admission a = plane.store().admit(NewTasks.aNewTask(room).as(identity).withImageHash(imageHash).build());
        if (a instanceof Admission.Admitted admitted) {
            LogPosition pos = plane.taskLog().append(admitted.launch());
            plane.store().recordLogPosition(admitted.task().taskId(), pos.partition(), pos.offset());
        }
        return a;
    }

    public LogPosition enqueue(TaskRecord t, int attempt) {
        LaunchSpec spec = new LaunchSpec(t.taskId(), attempt, t.roomName(), "ws://127.0.0.1:7880", "token-" + t.taskId(),
                t.imageHash(), null, null, t.identity());
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
