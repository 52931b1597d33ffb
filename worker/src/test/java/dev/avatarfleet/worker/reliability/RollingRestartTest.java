package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import dev.avatarfleet.worker.node.WorkerComponents;
import dev.avatarfleet.worker.node.WorkerNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 8: SIGTERM drains a worker by handing its sessions over, so a rolling restart of every worker
 * of a fleet loses no session.
 */
@WaitingBound
class RollingRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRollingRestartOfEveryWorkerLosesNoSession() throws Exception {
        try (Fleet fleet = new Fleet("rolling")) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            HoldingSessionFactory s3 = new HoldingSessionFactory();
            HoldingSessionFactory s4 = new HoldingSessionFactory();
            WorkerNode w1 = worker(fleet, "roll-1", s1);
            WorkerNode w2 = worker(fleet, "roll-2", s2);
            fleet.awaitReady(2);
            TaskRecord a = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-a", "avatar")).task();
            TaskRecord b = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-b", "avatar")).task();
            List<String> ids = List.of(a.taskId(), b.taskId());
            await().atMost(WAIT).until(() -> running(fleet, ids));

            try (LiveWatch watch = LiveWatch.of(ids, s1, s2, s3, s4)) {
                // roll-1 gets SIGTERM; its replacement comes up; then the same for roll-2
                fleet.shutDown(w1);
                await().atMost(WAIT).until(() -> running(fleet, ids) && onWorkers(fleet, ids, "roll-2"));
                worker(fleet, "roll-3", s3);
                fleet.awaitReady(2);
                fleet.shutDown(w2);
                await().atMost(WAIT).until(() -> running(fleet, ids) && onWorkers(fleet, ids, "roll-3"));
                worker(fleet, "roll-4", s4);
                fleet.awaitReady(2);

                for (String id : ids) {
                    TaskRecord t = fleet.task(id);
                    assertEquals(TaskStatus.RUNNING, t.status());
                    assertTrue(t.attempts() >= 2, "handed over at least once: " + t);
                    assertEquals(1, s3.live(id), "running on roll-3");
                }
                assertEquals(1, watch.max(), "a task ran on two workers at once");
            }
        }
    }

    private static WorkerNode worker(Fleet fleet, String id, HoldingSessionFactory sessions) {
        return fleet.worker(fleet.settings, Fleet.workerSettings(id, 2, Duration.ofMillis(500)),
                new WorkerComponents(sessions, () -> { }, List.of()));
    }

    private static boolean running(Fleet fleet, List<String> ids) {
        return ids.stream().allMatch(id -> fleet.task(id).status() == TaskStatus.RUNNING);
    }

    private static boolean onWorkers(Fleet fleet, List<String> ids, String worker) {
        return ids.stream().allMatch(id -> worker.equals(fleet.task(id).workerId()));
    }
}
