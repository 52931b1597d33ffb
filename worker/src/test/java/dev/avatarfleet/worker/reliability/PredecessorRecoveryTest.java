package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.TcpProxy;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import dev.avatarfleet.worker.node.WorkerNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 3: a worker restarted under the same {@code WORKER_ID} while it cannot reach Redis recovers its
 * killed predecessor's tasks once Redis answers, not only if it could at its start.
 */
@WaitingBound
class PredecessorRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aWorkerRestartedWithTheSameIdWhileRedisIsAwayReplaysItsPredecessorsTasksOnceRedisAnswers() {
        // why: the fleet closes before the proxy, and through a healed one: a drain writes its ends to Redis
        try (TcpProxy proxy = TcpProxy.to(TestServers.redis().port()); Fleet fleet = new Fleet("predecessor")) {
            try {
                HoldingSessionFactory before = new HoldingSessionFactory();
                HoldingSessionFactory after = new HoldingSessionFactory();
                WorkerNode first = fleet.worker("same-id", 1, before);
                fleet.awaitReady(1);
                TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-p", "avatar")).task();
                await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);

                fleet.crash(first);
                // the new process comes up while its way to Redis is cut
                proxy.cut();
                fleet.worker(Fleet.withRedis(fleet.settings, "redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(400)),
                        "same-id", 1, after, Clock.systemUTC());
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(after.started::isEmpty);
                proxy.heal();

                await().atMost(WAIT).until(() -> after.started.contains(t.taskId())
                        && fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
                TaskRecord replayed = fleet.task(t.taskId());
                assertEquals(2, replayed.attempts());
                assertEquals("same-id", replayed.workerId());
                assertEquals(List.of(t.taskId()), after.started);
            } finally {
                proxy.heal();
            }
        }
    }
}
