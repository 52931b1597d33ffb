package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.RedisServerProcess;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 4: Redis restarted without its data under running sessions. The workers never stop a healthy
 * session because its key vanished; they tell Redis again what they run, and the fleet takes new launches.
 */
@WaitingBound
class RedisDataLossTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void runningSessionsSurviveARedisThatComesBackEmptyAndTheirTasksAreKnownAgain() {
        RedisServerProcess redis = RedisServerProcess.start();
        try (Fleet fleet = new Fleet("dataloss", TestServers.kafka().bootstrapServers(), redis.url())) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            fleet.worker("loss-1", 2, s1);
            fleet.worker("loss-2", 2, s2);
            fleet.awaitReady(2);
            TaskRecord a = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-a", "avatar")).task();
            TaskRecord b = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-b", "avatar")).task();
            await().atMost(WAIT).until(() -> fleet.task(a.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(b.taskId()).status() == TaskStatus.RUNNING);
            String ownerA = fleet.task(a.taskId()).workerId();
            String ownerB = fleet.task(b.taskId()).workerId();

            redis = redis.restartEmpty();

            // both tasks are known again, running where they ran, within a few seconds
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                TaskRecord nowA = fleet.plane.store().get(a.taskId()).orElseThrow();
                TaskRecord nowB = fleet.plane.store().get(b.taskId()).orElseThrow();
                assertEquals(TaskStatus.RUNNING, nowA.status());
                assertEquals(TaskStatus.RUNNING, nowB.status());
                assertEquals(ownerA, nowA.workerId());
                assertEquals(ownerB, nowB.workerId());
                assertEquals(1, nowA.attempts());
            });
            // a new launch is taken and runs
            AtomicReference<TaskRecord> next = new AtomicReference<>();
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                Admission adm = fleet.launch("room-c", "avatar");
                if (adm instanceof Admission.Admitted ok) {
                    next.set(ok.task());
                }
                return next.get() != null;
            });
            await().atMost(WAIT).until(() -> fleet.plane.store().get(next.get().taskId()).map(t -> t.status() == TaskStatus.RUNNING)
                    .orElse(false));
            // and the sessions that ran before never stopped
            for (HoldingSessionFactory s : List.of(s1, s2)) {
                for (String id : List.of(a.taskId(), b.taskId())) {
                    assertTrue(s.all(id).stream().noneMatch(HoldingSessionFactory.Held::isEnded), "session of " + id + " stopped");
                }
            }
            assertEquals(3, s1.started.size() + s2.started.size());
            Optional<TaskRecord> again = fleet.plane.store().get(a.taskId());
            assertFalse(again.isEmpty());
        } finally {
            redis.close();
        }
    }
}
