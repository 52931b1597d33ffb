package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import dev.avatarfleet.worker.node.WorkerNode;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Issue 14, defect 10: the image of an active task stays in the image store while the task runs, so a replay
 * after a session longer than the image's life finds it.
 */
@WaitingBound
class ImageRenewalTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aReplayAfterALongSessionFindsItsImage() {
        try (Fleet fleet = new Fleet("image");
             RedisClient raw = RedisClient.builder().hostAndPort("127.0.0.1", TestServers.redis().port()).build()) {
            HoldingSessionFactory first = new HoldingSessionFactory();
            HoldingSessionFactory second = new HoldingSessionFactory();
            String hash = fleet.plane.images().put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 7, 7, 7});
            WorkerNode w1 = fleet.worker("img-1", 1, first);
            fleet.awaitReady(1);
            TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-i", "avatar", hash)).task();
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);

            // the image is near the end of its life (2 s left) while the session goes on for longer than that
            String key = fleet.settings.keyPrefix() + "image:" + hash;
            assertEquals(1L, raw.pexpire(key, 2000));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> first.live(t.taskId()) == 1);

            // its worker dies; the replay on another worker needs the image
            fleet.worker("img-2", 1, second);
            fleet.crash(w1);
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).attempts() == 2
                    && fleet.task(t.taskId()).status() != TaskStatus.PENDING);
            TaskRecord replayed = fleet.task(t.taskId());
            assertEquals(TaskStatus.RUNNING, replayed.status(), "replay: " + replayed.error());
            assertEquals("img-2", replayed.workerId());
            assertTrue(fleet.plane.images().get(hash).isPresent());
        }
    }
}
