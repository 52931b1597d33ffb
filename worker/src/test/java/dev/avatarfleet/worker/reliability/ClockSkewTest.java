package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import org.junit.jupiter.api.Test;

/** Issue 14, defect 6: liveness is judged on Redis time, so a node whose clock runs ahead reaps nobody. */
class ClockSkewTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aWorkerWhoseClockIsTenSecondsAheadReapsNobodyAndNothingReplays() {
        try (Fleet fleet = new Fleet("skew")) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            HoldingSessionFactory fast = new HoldingSessionFactory();
            fleet.worker("skew-1", 1, s1);
            fleet.worker("skew-2", 1, s2);
            fleet.awaitReady(2);
            TaskRecord a = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-a", "avatar")).task();
            TaskRecord b = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-b", "avatar")).task();
            await().atMost(WAIT).until(() -> fleet.task(a.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(b.taskId()).status() == TaskStatus.RUNNING);
            String ownerA = fleet.task(a.taskId()).workerId();
            String ownerB = fleet.task(b.taskId()).workerId();

            // a third worker whose clock is 10 s ahead (an NTP step, a VM restored from a snapshot) joins
            fleet.worker(fleet.settings, "skew-fast", 1, fast, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10)));
            await().atMost(WAIT).until(() -> fleet.plane.registry().liveWorkers().stream().anyMatch(w -> w.id().equals("skew-fast")));

            // well past the reaper's two looks at the dead-worker timeout (1.5 s here): nobody was reaped
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(12)).untilAsserted(() -> {
                TaskRecord nowA = fleet.task(a.taskId());
                TaskRecord nowB = fleet.task(b.taskId());
                assertEquals(TaskStatus.RUNNING, nowA.status());
                assertEquals(TaskStatus.RUNNING, nowB.status());
                assertEquals(1, nowA.attempts(), "task a replayed");
                assertEquals(1, nowB.attempts(), "task b replayed");
                assertEquals(ownerA, nowA.workerId());
                assertEquals(ownerB, nowB.workerId());
                assertEquals(3, fleet.plane.registry().liveWorkers().size());
            });
            assertEquals(List.of(), fast.started);
            assertTrue(s1.started.size() + s2.started.size() == 2, "each task started once");
        }
    }
}
