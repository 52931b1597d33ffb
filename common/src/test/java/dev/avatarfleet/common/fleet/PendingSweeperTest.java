package dev.avatarfleet.common.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.store.StoreFixture;
import dev.avatarfleet.common.store.WorkerStates;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.TestServers;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defects 1 and 9: the pending sweeper, on the shared redis-server and broker. A task admitted but never
 * produced (its API node died) is enqueued from the launch kept with it; one nobody ever claims (its record archived
 * by the share group) is failed as undeliverable after the declared re-enqueues; one lease holder sweeps at a time.
 */
class PendingSweeperTest {

    private static final FleetSettings.Recovery FAST = new FleetSettings.Recovery(1, 1, Duration.ofHours(1), Duration.ofMillis(500), 2,
            Duration.ofMillis(100), Duration.ofHours(2));

    @Test
    void aTaskAdmittedButNeverEnqueuedIsEnqueuedFromItsKeptLaunchAndFailedWhenNobodyEverClaimsIt() {
        try (StoreFixture f = new StoreFixture()) {
            String prefix = TestServers.uniquePrefix("sweeper");
            FleetSettings s = f.settings.withKafka(TestServers.kafka().bootstrapServers(), Duration.ofSeconds(5))
                    .withTopic(prefix + "launches", prefix + "workers").withRecovery(FAST);
            try (KafkaTaskLog log = new KafkaTaskLog(s)) {
                log.ensureTopic();
                LaunchRequeue requeue = new LaunchRequeue(f.store, log, f.images);
                PendingSweeper sweeper = new PendingSweeper(f.store, f.registry, requeue, f.lease("pending-sweeper", "node-a",
                        Duration.ofSeconds(30)), FAST);
                PendingSweeper other = new PendingSweeper(f.store, f.registry, requeue, f.lease("pending-sweeper", "node-b",
                        Duration.ofSeconds(30)), FAST);
                f.readyWorker("w", 2);
                // the API node that admitted it died before its produce: no Kafka record, no position
                TaskRecord t = assertInstanceOf(Admission.Admitted.class, f.store.admit(NewTasks.aNewTask("room-s").build())).task();
                assertEquals(0, sweeper.sweepOnce(), "not stale yet");

                await().atMost(Duration.ofSeconds(10)).until(() -> sweeper.sweepOnce() == 1);
                TaskRecord enqueued = f.store.get(t.taskId()).orElseThrow();
                assertEquals(TaskStatus.PENDING, enqueued.status());
                assertNotNull(enqueued.kafkaOffset());
                LaunchSpec record = log.readAt(enqueued.kafkaPartition(), enqueued.kafkaOffset()).orElseThrow();
                assertEquals(t.taskId(), record.taskId());
                assertEquals(1, record.attempt());
                assertEquals("token-room-s", record.livekitToken());
                assertEquals(f.store.epoch(), record.epoch());
                f.readyWorker("w", 2);
                assertEquals(0, other.sweepOnce(), "node-a holds the lease");

                // nobody claims it (the share group archived its record): after 2 re-enqueues it fails, with the reason
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    f.readyWorker("w", 2);
                    sweeper.sweepOnce();
                    return f.store.get(t.taskId()).orElseThrow().status() == TaskStatus.FAILED;
                });
                TaskRecord failed = f.store.get(t.taskId()).orElseThrow();
                assertEquals("launch record archived or undeliverable: never claimed, re-enqueued 2 times", failed.error());
            }
        }
    }

    @Test
    void nothingIsEnqueuedAgainWhileNoLiveWorkerHasAFreeSlot() {
        try (StoreFixture f = new StoreFixture()) {
            String prefix = TestServers.uniquePrefix("sweepfull");
            FleetSettings s = f.settings.withKafka(TestServers.kafka().bootstrapServers(), Duration.ofSeconds(5))
                    .withTopic(prefix + "launches", prefix + "workers").withRecovery(FAST);
            try (KafkaTaskLog log = new KafkaTaskLog(s)) {
                PendingSweeper sweeper = new PendingSweeper(f.store, f.registry, new LaunchRequeue(f.store, log, f.images),
                        f.lease("pending-sweeper", "node-a", Duration.ofSeconds(30)), FAST);
                f.readyWorker("w", 1);
                TaskRecord t = assertInstanceOf(Admission.Admitted.class, f.store.admit(NewTasks.aNewTask("room-f").build())).task();
                // the one slot is taken: the pending task waits for it, its re-enqueues are not spent meanwhile
                f.registry.heartbeat(WorkerStates.aReadyWorker("w").withSlots(1).holding(1).saturated().build());
                await().atMost(Duration.ofSeconds(5)).until(() -> f.store.stalePending(FAST.reenqueueAfter()).contains(t.taskId()));
                assertEquals(0, sweeper.sweepOnce());
                assertEquals(null, f.store.get(t.taskId()).orElseThrow().kafkaOffset());
            }
        }
    }
}
