package dev.avatarfleet.common.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.store.StoreFixture;
import dev.avatarfleet.common.store.Transition;
import dev.avatarfleet.common.task.TaskStatus;
import org.junit.jupiter.api.Test;

/** The reaper on the shared redis-server, with a clock moved by hand (default 5 s dead-worker timeout). */
class DeadWorkerReaperTest {

    @Test
    void aWorkerWhoseHeartbeatWentStaleWhileTheReaperItselfWasStalledIsNotReapedUntilItStaysDead() {
        try (StoreFixture f = new StoreFixture(); KafkaTaskLog log = new KafkaTaskLog(f.settings)) {
            DeadWorkerReaper reaper = new DeadWorkerReaper(f.registry, f.store, log, 3);
            f.readyWorker("w", 2);
            String id = assertInstanceOf(Admission.Admitted.class, f.store.admit(NewTasks.aNewTask("room").build()))
                    .task().taskId();
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(id, "w", 1));
            assertEquals(Transition.DONE, f.store.markRunning(id, "w"));
            f.clock.advance(Duration.ofSeconds(1));
            assertEquals(0, reaper.reapOnce());

            // a Redis outage (or a pause of this node) longer than the timeout: every heartbeat, w's too, is stale
            // at the reaper's first pass after it; w is alive and beats again a moment later
            f.clock.advance(Duration.ofSeconds(7));
            reaper.reapOnce();
            assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status(), "not reaped on one stale look");
            f.readyWorker("w", 2);
            f.clock.advance(Duration.ofMillis(2500));
            reaper.reapOnce();
            assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status());
            assertEquals("w", f.store.get(id).orElseThrow().workerId());

            // w really dies: dead on two passes in a row, it is reaped (its task has no launch record: failed)
            f.clock.advance(Duration.ofSeconds(6));
            reaper.reapOnce();
            assertEquals(TaskStatus.RUNNING, f.store.get(id).orElseThrow().status());
            f.clock.advance(Duration.ofMillis(2500));
            reaper.reapOnce();
            assertEquals(TaskStatus.FAILED, f.store.get(id).orElseThrow().status());
            assertEquals(List.of(), f.registry.deadWorkerIds());
        }
    }
}
