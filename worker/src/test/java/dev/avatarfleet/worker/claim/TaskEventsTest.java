package dev.avatarfleet.worker.claim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.fleet.LaunchRequeue;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.store.RedisGateway;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.Transition;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.common.task.LaunchSpecs;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.RedisServerProcess;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.session.SessionEnd;
import org.junit.jupiter.api.Test;

/** A session's end against a real redis-server that stops answering for a while. */
@WaitingBound
class TaskEventsTest {

    @Test
    void anEndDuringALongRedisOutageIsRecordedOnceRedisAnswersAndHoldsTheSlotUntilThen() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            FleetSettings s = FleetSettings.fromEnvironment(new Env(Map.of("REDIS_URL", own.url(), "REDIS_TIMEOUT_MS", "300")));
            try (RedisGateway redis = RedisGateway.connect(s.redisUrl(), s.redisTimeout())) {
                RedisTaskStore store = new RedisTaskStore(redis, s, Clock.systemUTC());
                new FleetRegistry(redis, s, Clock.systemUTC()).heartbeat(new WorkerState("w1", "http://x", 1, 0, true, false, false, null));
                String id = assertInstanceOf(Admission.Admitted.class, store.admit(NewTasks.aNewTask("room").build()))
                        .task().taskId();
                SlotTable slots = new SlotTable(1);
                assertTrue(slots.tryReserve(id));
                assertEquals(ClaimOutcome.CLAIMED, store.claim(id, "w1", 1));
                assertEquals(Transition.DONE, store.markRunning(id, Claim.of("w1", 1)));

                // Redis stops answering for longer than a few retries (a restart, a failover, a long fork)
                pauseAllClients(own.port(), Duration.ofSeconds(18));
                KafkaTaskLog noBroker = new KafkaTaskLog(s);
                Handover handover = new Handover(store, new LaunchRequeue(store, noBroker, new ImageStore(redis, s)));
                TaskEvents events = new TaskEvents(LaunchSpecs.aLaunch(id).build(), "w1", store, slots, handover, s.backoff());
                Thread ender = Thread.ofVirtual().start(() -> events.ended(SessionEnd.completed("agent_left")));

                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> slots.holds(id)); // the slot stays taken while the end is not recorded
                AtomicReference<TaskRecord> ended = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> {
                            ended.set(store.get(id).orElseThrow());
                            return ended.get().status() == TaskStatus.COMPLETED;
                        });
                assertEquals("agent_left", ended.get().endReason());
                ender.join(5000);
                assertEquals(0, slots.active());
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> store.activeCount() == 0);
            }
        }
    }

    /** {@code CLIENT PAUSE ms ALL}: every client's commands wait until the pause ends, so they time out. */
    private static void pauseAllClients(int port, Duration pause) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("CLIENT PAUSE " + pause.toMillis() + " ALL\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] ok = socket.getInputStream().readNBytes(5);
            assertEquals("+OK\r\n", new String(ok, StandardCharsets.US_ASCII));
        }
    }
}
