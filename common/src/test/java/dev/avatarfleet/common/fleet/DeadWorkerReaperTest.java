package dev.avatarfleet.common.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.store.StoreFixture;
import dev.avatarfleet.common.store.Transition;
import dev.avatarfleet.common.store.WorkerStates;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.FreePorts;
import dev.avatarfleet.testkit.TestServers;
import org.junit.jupiter.api.Test;

/** The reaper on the shared redis-server and broker, on Redis's clock, with a short dead-worker timeout. */
class DeadWorkerReaperTest {

    private static String running(StoreFixture f, String worker, String url) {
        f.registry.heartbeat(WorkerStates.aReadyWorker(worker).at(url).withSlots(2).build());
        String id = assertInstanceOf(Admission.Admitted.class, f.store.admit(NewTasks.aNewTask("room-" + worker).build())).task().taskId();
        assertEquals(ClaimOutcome.CLAIMED, f.store.claim(id, worker, 1));
        assertEquals(Transition.DONE, f.store.markRunning(id, Claim.of(worker, 1)));
        return id;
    }

    private static FleetSettings withBroker(StoreFixture f) {
        String prefix = TestServers.uniquePrefix("reaper");
        return f.settings.withKafka(TestServers.kafka().bootstrapServers(), Duration.ofSeconds(5))
                .withTopic(prefix + "launches", prefix + "workers");
    }

    @Test
    void aWorkerWhoseHeartbeatWentStaleWhileTheReaperItselfWasStalledIsNotReapedUntilItStaysDead() {
        try (StoreFixture f = StoreFixture.withDeadAfter(Duration.ofMillis(2500))) {
            FleetSettings s = withBroker(f);
            try (KafkaTaskLog log = new KafkaTaskLog(s)) {
                log.ensureTopic();
                DeadWorkerReaper reaper = new DeadWorkerReaper(f.registry, f.store, new LaunchRequeue(f.store, log, f.images), s,
                        WorkerProbe.never());
                String id = running(f, "w", "http://127.0.0.1:1");
                assertEquals(0, reaper.reapOnce());

                // an outage (or a pause of this node) longer than the timeout: w's heartbeat is stale at the reaper's
                // first look after it; w is alive and beats again a moment later
                await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.deadWorkerIds().contains("w"));
                reaper.reapOnce();
                assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status(), "not reaped on one stale look");
                f.registry.heartbeat(WorkerStates.aReadyWorker("w").at("http://127.0.0.1:1").withSlots(2).build());
                reaper.reapOnce();
                assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status());
                assertEquals("w", f.store.get(id).orElseThrow().workerId());

                // w really dies: dead on two looks in a row, its task is enqueued again as attempt 2 from the kept launch
                await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.deadWorkerIds().contains("w"));
                reaper.reapOnce();
                assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status());
                assertEquals(1, reaper.reapOnce());
                TaskRecord requeued = f.store.get(id).orElseThrow();
                assertEquals(TaskStatus.PENDING, requeued.status());
                LaunchSpec record = log.readAt(requeued.kafkaPartition(), requeued.kafkaOffset()).orElseThrow();
                assertEquals(id, record.taskId());
                assertEquals(2, record.attempt());
                assertEquals(f.store.epoch(), record.epoch());
                assertEquals(List.of(), f.registry.deadWorkerIds(), "the dead worker left the registry");
            }
        }
    }

    @Test
    void aWorkerTwoBeatsLateWhosePortRefusesIsReapedAtOnceOneWhosePortAnswersIsNot() throws IOException {
        try (StoreFixture f = new StoreFixture(Duration.ofHours(1), 1000, Duration.ofMillis(200), Duration.ofSeconds(30));
             ServerSocket alive = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            FleetSettings s = withBroker(f);
            try (KafkaTaskLog log = new KafkaTaskLog(s)) {
                log.ensureTopic();
                DeadWorkerReaper reaper = new DeadWorkerReaper(f.registry, f.store, new LaunchRequeue(f.store, log, f.images), s);
                String killed = running(f, "killed", "http://127.0.0.1:" + FreePorts.next());
                String partitioned = running(f, "partitioned", "http://127.0.0.1:" + alive.getLocalPort());
                // two beats (400 ms) late, far from the 30 s dead-worker timeout
                await().atMost(Duration.ofSeconds(5)).until(() -> f.registry.lateWorkers(Duration.ofMillis(450)).size() == 2);
                assertEquals(1, reaper.reapOnce());
                assertEquals(TaskStatus.PENDING, f.store.get(killed).orElseThrow().status());
                assertEquals(TaskStatus.RUNNING, f.store.get(partitioned).orElseThrow().status(), "its port answers: it waits the full timeout");
                assertTrue(f.registry.lateWorkers(Duration.ZERO).stream().noneMatch(w -> w.id().equals("killed")));
            }
        }
    }
}
