package dev.avatarfleet.worker.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.JsonLogCapture;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.session.SessionFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A worker's lines about a task, as {@code LOG_FORMAT=json} writes them, on the real broker and Redis: the
 * claim, the start on its own virtual thread, a session's work on a pool thread, and the start's failure each
 * carry {@code task_id}, {@code worker_id} and {@code room_name}. (The real session, its LiveKit threads and
 * the render loop: LaunchToRoomMediaTest.)
 */
class SessionLogLinesTest {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLogLinesTest.class);

    @Test
    void everyLineAboutTheTaskCarriesTheSessionsThreeFields() {
        ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();
        try (JsonLogCapture logs = JsonLogCapture.start(); Fleet fleet = new Fleet("logs")) {
            SessionFactory failing = (spec, image, events) -> {
                LOG.info("starting the session of task {}", spec.taskId());
                // why: a pool thread the session did not start: the session's context must be carried by the submit
                CompletableFuture.runAsync(dev.avatarfleet.common.logging.LogContext.current()
                        .wrap(() -> LOG.info("preparing the avatar of task {}", spec.taskId())), pool).join();
                throw new IllegalStateException("no model");
            };
            fleet.worker("w-logs", 1, new WorkerComponents(failing, () -> { }, List.of()), Duration.ofSeconds(1));
            fleet.awaitReady(1);
            TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-logs", "avatar")).task();
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.task(t.taskId()).status() == TaskStatus.FAILED);

            List<JsonNode> lines = logs.mentioning(t.taskId());
            assertFalse(lines.size() < 3, "the start, the pool's line and the failure: " + lines);
            for (JsonNode line : lines) {
                assertEquals(t.taskId(), line.path("task_id").asText(), line.toString());
                assertEquals("w-logs", line.path("worker_id").asText(), line.toString());
                assertEquals("room-logs", line.path("room_name").asText(), line.toString());
            }
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
