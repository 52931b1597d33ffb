package dev.avatarfleet.worker.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.KafkaBroker;
import dev.avatarfleet.worker.WaitingBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN's invariant "no accepted launch is lost ... through broker restarts": a worker keeps
 * claiming after its Kafka broker went away and came back on the same data, and a task enqueued
 * before the restart is still run.
 */
@WaitingBound
class BrokerRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(150)
    void aWorkerKeepsClaimingAcrossABrokerRestart(@TempDir Path data) throws Exception {
        KafkaBroker broker = KafkaBroker.startForTests(data);
        try (Fleet fleet = new Fleet("restart", broker.bootstrapServers())) {
            HoldingSessionFactory sessions = new HoldingSessionFactory();
            fleet.worker("survivor", 3, sessions);
            fleet.awaitReady(1);
            TaskRecord before = admitted(fleet.launch("room-before", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(before.taskId()).status() == TaskStatus.RUNNING);

            // a task accepted while the broker is going down: recorded, enqueued once the broker is back
            TaskRecord during = admitted(fleet.plane.store().admit(NewTasks.aNewTask("room-during").build()));
            broker = broker.restart(Duration.ofSeconds(2));
            await().atMost(WAIT).ignoreException(DependencyUnavailableException.class)
                    .until(() -> fleet.enqueue(during, 1) != null);
            TaskRecord after = admitted(fleet.launch("room-after", "avatar"));

            await().atMost(WAIT).until(() -> fleet.task(during.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(after.taskId()).status() == TaskStatus.RUNNING);
            assertEquals(TaskStatus.RUNNING, fleet.task(before.taskId()).status(), "the running session was not disturbed");
            assertEquals(3, sessions.started.size());
            assertEquals(3, sessions.started.stream().distinct().count(), "no session started twice");
        } finally {
            broker.close();
        }
    }

    private static TaskRecord admitted(Admission a) {
        return assertInstanceOf(Admission.Admitted.class, a).task();
    }
}
