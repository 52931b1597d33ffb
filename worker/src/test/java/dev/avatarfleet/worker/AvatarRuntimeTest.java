package dev.avatarfleet.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.WorkerNode;
import dev.avatarfleet.worker.render.RenderSettings;
import org.junit.jupiter.api.Test;

/** The production session path of a worker (node, SessionStarter, AvatarRuntime) against a real broker and redis-server. */
class AvatarRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionStartThatThrowsAnErrorFailsItsTaskAndFreesTheSlot() throws Exception {
        try (Fleet fleet = new Fleet("error")) {
            // AUTO_PREWARM=false: the model loads with the first session, in the runtime; a native library that
            // cannot load throws an Error (UnsatisfiedLinkError), not an Exception
            WorkerSettings ws = WorkerSettings.fromEnvironment(new Env(Map.of("AUTO_PREWARM", "false")))
                    .withIdentity("w-error", 0, 1).withDrainTimeout(Duration.ofMillis(300));
            AtomicInteger engineStarts = new AtomicInteger();
            AvatarRuntime brokenNatives = new AvatarRuntime(ws, RenderSettings.fromEnvironment(new Env(Map.of()), ws.maxSessions()), settings -> {
                engineStarts.incrementAndGet();
                throw new UnsatisfiedLinkError("no jnitensorflow in java.library.path");
            }, unusable -> { });
            WorkerNode w = fleet.worker(ws, brokenNatives.components());
            fleet.awaitReady(1);
            assertEquals(0, engineStarts.get(), "AUTO_PREWARM=false: nothing loaded before the first session");
            TaskRecord t = assertInstanceOf(Admission.Admitted.class, fleet.launch("room-error", "avatar")).task();
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.FAILED);
            assertTrue(fleet.task(t.taskId()).error().contains("no jnitensorflow"), fleet.task(t.taskId()).error());
            assertEquals(1, engineStarts.get());
            await().atMost(WAIT).until(() -> w.slots().active() == 0);
        }
    }
}
