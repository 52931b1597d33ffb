package dev.avatarfleet.worker.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTasks;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Workers against a real broker and a redis-server that stops answering while a launch record is delivered. */
@WaitingBound
class ClaimerRedisOutageTest {

    @Test
    void aLaunchDeliveredDuringARedisOutageIsNotSpentOnEveryWorkerAndLost() throws Exception {
        try (Fleet fleet = new Fleet("redis-outage")) {
            // why: the group archives a record after share.delivery.count.limit deliveries (5 by default); with a
            // limit of 2, two workers show what five or more do with the default
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestServers.kafka().bootstrapServers()))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, fleet.settings.workerGroup()),
                        List.of(new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "2"), AlterConfigOp.OpType.SET))))
                        .all().get(10, TimeUnit.SECONDS);
            }
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            fleet.worker("o1", 1, s1);
            fleet.worker("o2", 1, s2);
            fleet.awaitReady(2);
            TaskRecord t = assertInstanceOf(Admission.Admitted.class,
                    fleet.plane.store().admit(NewTasks.aNewTask("room-outage").build())).task();

            // Redis stops answering (a restart, a failover) right as the launch record reaches the workers
            pauseAllClients(TestServers.redis().port(), Duration.ofSeconds(8));
            fleet.plane.taskLog().append(new LaunchSpec(t.taskId(), 1, t.roomName(), "ws://127.0.0.1:7880", "token",
                    null, null, null, t.identity()));

            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            assertEquals(1, s1.started.size() + s2.started.size());
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
            assertEquals("+OK\r\n", new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        }
    }
}
