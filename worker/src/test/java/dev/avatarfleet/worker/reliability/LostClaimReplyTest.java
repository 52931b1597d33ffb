package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.TcpProxy;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 2: a claim that Redis ran but whose reply the worker never heard (the reply was lost with
 * the connection) is still run by that worker, once.
 */
@WaitingBound
class LostClaimReplyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aClaimWhoseReplyIsLostIsRunByItsWorker() {
        // why: the fleet closes before the proxy, and through a healed one: a drain writes its ends to Redis
        try (TcpProxy proxy = TcpProxy.to(TestServers.redis().port()); Fleet fleet = new Fleet("lostreply")) {
            try {
                FleetSettings viaProxy = Fleet.withRedis(fleet.settings, "redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(400));
                HoldingSessionFactory sessions = new HoldingSessionFactory();
                fleet.worker(viaProxy, "lost-reply", 1, sessions, Clock.systemUTC());
                fleet.awaitReady(1);

                // Redis runs the worker's claim (the first request naming the room), but its answer is lost
                proxy.dropReplyOnce("room-lr");
                TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-lr", "avatar")).task();
                await().atMost(WAIT).until(() -> proxy.replyDropped() && "lost-reply".equals(fleet.task(t.taskId()).workerId()));

                await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
                TaskRecord running = fleet.task(t.taskId());
                assertEquals("lost-reply", running.workerId());
                assertEquals(List.of(t.taskId()), sessions.started);
            } finally {
                proxy.heal();
            }
        }
    }
}
