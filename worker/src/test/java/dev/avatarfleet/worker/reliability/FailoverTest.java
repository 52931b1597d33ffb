package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import dev.avatarfleet.worker.node.WorkerNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, fast failover: with the production timing (heartbeat and dead-worker timeout at their defaults), a
 * killed worker's task runs on another worker within seconds, well before the dead-worker timeout: the reaper
 * confirms the death early because the dead worker's port refuses connections. Each kill's figure, from the kill to
 * the session running again on another worker, is printed; {@code -Dfailover.kills=N} repeats it N times (a fresh
 * worker joins before each kill) for the distribution the bench reports.
 */
class FailoverTest {

    @Test
    void aKilledWorkersTaskRunsOnAnotherWellBeforeTheDeadWorkerTimeout() {
        int kills = Integer.getInteger("failover.kills", 1);
        try (Fleet fleet = Fleet.withProductionTiming("failover")) {
            Map<WorkerNode, HoldingSessionFactory> workers = new LinkedHashMap<>();
            HoldingSessionFactory first = new HoldingSessionFactory();
            WorkerNode holder = fleet.worker("fo-0", 1, first);
            workers.put(holder, first);
            fleet.awaitReady(1);
            TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-fo", "avatar")).task();
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            List<Long> figures = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                HoldingSessionFactory next = new HoldingSessionFactory();
                WorkerNode spare = fleet.worker("fo-" + k, 1, next);
                workers.put(spare, next);
                fleet.awaitReady(2);

                long killed = System.nanoTime();
                fleet.crash(holder);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> next.live(t.taskId()) == 1);
                long ms = Duration.ofNanos(next.all(t.taskId()).get(0).startedAt - killed).toMillis();
                figures.add(ms);
                System.out.println("failover " + k + ": kill to session running again on another worker in " + ms + " ms");
                assertEquals(k + 1, fleet.task(t.taskId()).attempts());
                assertTrue(ms < 5000, "failover took " + ms + " ms; the dead-worker timeout is "
                        + fleet.settings.deadWorkerTimeout().toMillis() + " ms");
                holder = spare;
            }
            List<Long> sorted = figures.stream().sorted().toList();
            System.out.println("failover over " + kills + " kills (ms): " + figures + "; median " + sorted.get(sorted.size() / 2)
                    + ", max " + sorted.getLast());
        }
    }
}
