package dev.avatarfleet.worker.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.HandBack;
import dev.avatarfleet.common.store.StopResult;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.session.SessionFactory;
import org.junit.jupiter.api.Test;

/** Worker nodes against a real broker and redis-server. */
@WaitingBound
class WorkerNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TaskRecord admitted(Admission a) {
        return assertInstanceOf(Admission.Admitted.class, a).task();
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.mapper().readTree(r.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("http_status", r.statusCode());
        return body;
    }

    @Test
    void aSessionThatCannotStartFailsItsTaskWithTheReasonAndFreesTheSlot() throws Exception {
        try (Fleet fleet = new Fleet("default")) {
            SessionFactory refusing = (spec, image, events) -> {
                throw new IllegalStateException("the avatar model is not loaded yet");
            };
            WorkerNode w = fleet.worker("w-default", 2, new WorkerComponents(refusing, () -> { }, List.of()), Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().modelReady());
            TaskRecord t = admitted(fleet.launch("room-1", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.FAILED);
            TaskRecord failed = fleet.task(t.taskId());
            assertEquals("session could not start: java.lang.IllegalStateException: the avatar model is not loaded yet", failed.error());
            assertEquals("w-default", failed.workerId());
            assertEquals(1, failed.attempts());
            assertTrue(failed.runningAt() == null, "never reported running");
            assertEquals(0, w.slots().active());
            JsonNode health = get(w.url() + "/health");
            assertEquals("healthy", health.get("status").asText());
            assertEquals(2, health.get("max_sessions").asInt());
        }
    }

    @Test
    void aWorkerOffersOnlyTheSessionsItsMeasuredCostAllows() throws Exception {
        try (Fleet fleet = new Fleet("costly")) {
            // why: MAX_SESSIONS 3, but a session costs this host so much that only one fits (an injected cost)
            int[] capacity = {1};
            HoldingSessionFactory sessions = new HoldingSessionFactory();
            WorkerNode w = fleet.worker("w-costly", 3, new WorkerComponents(sessions, () -> { }, List.of(), () -> false,
                    () -> capacity[0]), Duration.ofMillis(300));
            fleet.awaitReady(1);
            JsonNode ready = get(w.url() + "/ready");
            assertEquals(1, ready.get("max_sessions").asInt());
            assertEquals(1, ready.get("available_sessions").asInt());
            TaskRecord first = admitted(fleet.launch("room-c1", "avatar"));
            assertEquals(Admission.Reason.AT_CAPACITY, assertInstanceOf(Admission.Refused.class, fleet.launch("room-c2", "avatar")).reason(),
                    "the fleet offers the one slot the cost allows, not MAX_SESSIONS");
            await().atMost(WAIT).until(() -> fleet.task(first.taskId()).status() == TaskStatus.RUNNING);
            assertEquals("at_capacity", get(w.url() + "/ready").get("status").asText());
            // the host has room again: the worker offers more, up to MAX_SESSIONS
            capacity[0] = 50;
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().maxSessions() == 3);
            TaskRecord second = admitted(fleet.launch("room-c3", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(second.taskId()).status() == TaskStatus.RUNNING);
            assertEquals(2, w.slots().highWater());
        }
    }

    @Test
    void aWorkerWhoseShareMemberHasNotJoinedIsNeverReportedReady() throws Exception {
        try (Fleet fleet = new Fleet("unjoined")) {
            // why: a broker nobody listens on; the worker's share member can never join, its model warms at once
            FleetSettings s = fleet.settings;
            FleetSettings noBroker = s.withKafka("127.0.0.1:" + dev.avatarfleet.testkit.FreePorts.next(), Duration.ofMillis(300));
            WorkerSettings ws = WorkerSettings.fromEnvironment(new Env(java.util.Map.of()))
                    .withIdentity("never-joins", 0, 2).withDrainTimeout(Duration.ofMillis(100));
            WorkerNode w = fleet.worker(noBroker, ws, new WorkerComponents(new HoldingSessionFactory(), () -> { }, List.of()));
            await().atMost(WAIT).until(() -> !fleet.plane.registry().liveWorkers().isEmpty());
            // why: watch every heartbeat for a while (several intervals, the warm-up's own beat included)
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
                for (WorkerState state : fleet.plane.registry().liveWorkers()) {
                    assertFalse(state.modelReady(), "reported ready before its share member joined: " + state);
                }
                assertEquals(Admission.Reason.NOT_READY,
                        assertInstanceOf(Admission.Refused.class, fleet.plane.store().admit(
                                dev.avatarfleet.common.store.NewTasks.aNewTask("room-u").build())).reason());
            });
            assertEquals(503, get(w.url() + "/ready").get("http_status").asInt());
        }
    }

    @Test
    void twoWorkersShareTheTasksNeverBeyondTheirSlotsAndAStopEndsASessionWithinASecond() throws Exception {
        try (Fleet fleet = new Fleet("two")) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            WorkerNode w1 = fleet.worker("w1", 2, s1);
            WorkerNode w2 = fleet.worker("w2", 2, s2);
            // why: registered is not ready; a launch before both are ready is refused not_ready or lands on one
            fleet.awaitReady(2);
            List<TaskRecord> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(admitted(fleet.launch("room-" + i, "avatar")));
            }
            assertEquals(Admission.Reason.AT_CAPACITY, assertInstanceOf(Admission.Refused.class, fleet.launch("room-x", "avatar")).reason());
            await().atMost(WAIT).until(() -> tasks.stream().allMatch(t -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING));
            assertEquals(2, w1.slots().highWater());
            assertEquals(2, w2.slots().highWater());
            JsonNode ready = get(w1.url() + "/ready");
            assertEquals(503, ready.get("http_status").asInt());
            assertEquals("at_capacity", ready.get("status").asText());

            TaskRecord victim = tasks.get(0);
            long t0 = System.nanoTime();
            assertInstanceOf(StopResult.Signalled.class, fleet.plane.store().requestStop(victim.taskId(), "stop"));
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fleet.task(victim.taskId()).status() == TaskStatus.CANCELLED);
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(ms < 1000, "stop took " + ms + " ms");
            // the freed slot takes the next launch
            TaskRecord next = admitted(fleet.launch("room-next", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(next.taskId()).status() == TaskStatus.RUNNING);
            assertTrue(w1.slots().highWater() <= 2 && w2.slots().highWater() <= 2);
            List<String> all = new ArrayList<>(s1.started);
            all.addAll(s2.started);
            assertEquals(all.size(), all.stream().distinct().count(), "no session started twice");
        }
    }

    @Test
    void aDuplicatedLaunchRecordNeverStartsASecondSession() throws Exception {
        try (Fleet fleet = new Fleet("dup")) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            fleet.worker("d1", 4, s1);
            fleet.worker("d2", 4, s2);
            fleet.awaitReady(2);
            TaskRecord t = admitted(fleet.launch("room-dup", "avatar"));
            fleet.enqueue(t, 1);
            fleet.enqueue(t, 1);
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            // why: a marker launched after the duplicates runs once they have been delivered to the group (one
            // partition, in order) ...
            TaskRecord marker = admitted(fleet.launch("room-marker", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(marker.taskId()).status() == TaskStatus.RUNNING);
            // ... and from then on the task's one start stays the only one
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertEquals(1, s1.started.stream().filter(t.taskId()::equals).count()
                        + s2.started.stream().filter(t.taskId()::equals).count());
                assertEquals(1, fleet.task(t.taskId()).attempts());
            });
        }
    }

    @Test
    void aTaskStoppedWhilePendingIsCancelledAndNeverStarts() throws Exception {
        try (Fleet fleet = new Fleet("pending")) {
            // a registered ready worker that is not consuming yet
            fleet.plane.registry().heartbeat(new WorkerState("later", "http://127.0.0.1:1", 2, 0, true, false, false, null));
            TaskRecord t = admitted(fleet.launch("room-p", "avatar"));
            assertInstanceOf(StopResult.Cancelled.class, fleet.plane.store().requestStop(t.taskId(), "stopped before start"));
            HoldingSessionFactory s = new HoldingSessionFactory();
            fleet.worker("later", 2, s);
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().modelReady());
            TaskRecord marker = admitted(fleet.launch("room-q", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(marker.taskId()).status() == TaskStatus.RUNNING);
            assertEquals(List.of(marker.taskId()), s.started);
            assertEquals(TaskStatus.CANCELLED, fleet.task(t.taskId()).status());
        }
    }

    @Test
    void drainWaitsForSessionsThenHandsTheRestOverAndLeavesTheRegistry() throws Exception {
        try (Fleet fleet = new Fleet("drain")) {
            HoldingSessionFactory s = new HoldingSessionFactory();
            WorkerNode w = fleet.worker("drainer", 2, new WorkerComponents(s, () -> { }, List.of()), Duration.ofMillis(1500));
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().modelReady());
            TaskRecord finishes = admitted(fleet.launch("room-a", "avatar"));
            TaskRecord lingers = admitted(fleet.launch("room-b", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(lingers.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(finishes.taskId()).status() == TaskStatus.RUNNING);
            CountDownLatch drained = new CountDownLatch(1);
            Thread closer = Thread.ofVirtual().start(() -> {
                w.close();
                drained.countDown();
            });
            await().atMost(WAIT).until(() -> fleet.plane.registry().liveWorkers().stream().anyMatch(WorkerState::draining));
            assertEquals("not_ready", fleet.plane.registry().totals().readiness());
            s.sessions.get(finishes.taskId()).complete();
            closer.join(Duration.ofSeconds(15));
            assertEquals(0, drained.getCount());
            assertEquals(TaskStatus.COMPLETED, fleet.task(finishes.taskId()).status());
            // handed over: pending again, its next attempt enqueued for whichever worker comes next
            TaskRecord handedOver = fleet.task(lingers.taskId());
            assertEquals(TaskStatus.PENDING, handedOver.status());
            assertEquals(null, handedOver.workerId());
            assertEquals(2, fleet.plane.taskLog().readAt(handedOver.kafkaPartition(), handedOver.kafkaOffset()).orElseThrow().attempt());
            assertEquals("worker shutting down: handed over", s.sessions.get(lingers.taskId()).stopReason());
            assertTrue(fleet.plane.registry().liveWorkers().isEmpty());
            assertTrue(fleet.plane.registry().deadWorkerIds().isEmpty(), "it left the registry: no task is recorded on it");
        }
    }

    @Test
    void theWorkerIsNotReadyAndClaimsNothingUntilItsModelIsWarm() throws Exception {
        try (Fleet fleet = new Fleet("warm")) {
            CountDownLatch warm = new CountDownLatch(1);
            HoldingSessionFactory s = new HoldingSessionFactory();
            WorkerNode w = fleet.worker("warming", 2, new WorkerComponents(s, warm::await, List.of()), Duration.ofMillis(300));
            await().atMost(WAIT).until(() -> !fleet.plane.registry().liveWorkers().isEmpty());
            JsonNode ready = get(w.url() + "/ready");
            assertEquals(503, ready.get("http_status").asInt());
            assertEquals("not_ready", ready.get("status").asText());
            assertEquals(false, ready.get("model_ready").asBoolean());
            assertEquals(Admission.Reason.NOT_READY, assertInstanceOf(Admission.Refused.class, fleet.launch("room-w", "avatar")).reason());
            warm.countDown();
            await().atMost(WAIT).until(() -> get(w.url() + "/ready").get("http_status").asInt() == 200);
            TaskRecord t = admitted(fleet.launch("room-w", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            assertEquals(List.of(t.taskId()), s.started);
        }
    }

    @Test
    void theTasksOfAWorkerThatDiesAreReplayedOnAnotherAsTheNextAttempt() throws Exception {
        try (Fleet fleet = new Fleet("dead")) {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            WorkerNode w1 = fleet.worker("dies", 1, s1);
            fleet.awaitReady(1);
            TaskRecord t = admitted(fleet.launch("room-d", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            fleet.worker("survives", 1, s2);
            fleet.crash(w1);
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING
                    && "survives".equals(fleet.task(t.taskId()).workerId()));
            TaskRecord replayed = fleet.task(t.taskId());
            assertEquals(2, replayed.attempts());
            assertEquals(List.of(t.taskId()), s2.started);
            await().atMost(WAIT).until(() -> fleet.plane.registry().deadWorkerIds().isEmpty());
        }
    }

    @Test
    void aWorkerRestartedWithTheSameIdReplaysTheTasksItsKilledPredecessorLeftRunning() throws Exception {
        try (Fleet fleet = new Fleet("restart")) {
            HoldingSessionFactory before = new HoldingSessionFactory();
            HoldingSessionFactory after = new HoldingSessionFactory();
            WorkerNode first = fleet.worker("stable-id", 1, before);
            fleet.awaitReady(1);
            TaskRecord t = admitted(fleet.launch("room-r", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            fleet.crash(first);
            // the same WORKER_ID comes back at once (ops/stack restart, a StatefulSet pod): its heartbeat keeps the id
            // alive, so no reaper sees a dead worker; the task must not stay running on a process that is gone
            fleet.worker("stable-id", 1, after);
            await().atMost(WAIT).until(() -> after.started.contains(t.taskId())
                    && fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            TaskRecord replayed = fleet.task(t.taskId());
            assertEquals(2, replayed.attempts());
            assertEquals("stable-id", replayed.workerId());
            assertEquals(List.of(t.taskId()), after.started);
        }
    }

    @Test
    void aWorkerDeclaredDeadDuringAHeartbeatGapStopsTheSessionTheFleetReplayedElsewhere() throws Exception {
        try (Fleet fleet = new Fleet("gap")) {
            HoldingSessionFactory slow = new HoldingSessionFactory();
            HoldingSessionFactory other = new HoldingSessionFactory();
            fleet.worker("slow", 1, slow);
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().modelReady());
            TaskRecord t = admitted(fleet.launch("room-gap", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            fleet.worker("other", 1, other);
            // a GC pause or a Redis blip longer than the dead-worker timeout: the fleet replayed the task (as a reaper
            // would have), while "slow" itself is alive and still holds the session
            replayElsewhere(fleet, t.taskId(), "slow");
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(t.taskId()).attempts() == 2);
            // at most one worker runs the task: the stale session on "slow" ends, the replay runs on one worker,
            // and it stays that way
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.live(t.taskId()) + other.live(t.taskId()) == 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertEquals(1, slow.live(t.taskId()) + other.live(t.taskId()));
                TaskRecord now = fleet.task(t.taskId());
                assertEquals(1, ("slow".equals(now.workerId()) ? slow : other).live(t.taskId()));
                assertEquals(TaskStatus.RUNNING, now.status());
                assertEquals(2, now.attempts());
            });
        }
    }

    @Test
    void aReplayDeliveredToTheWorkerStillHoldingTheStaleSessionIsRunNotDropped() throws Exception {
        try (Fleet fleet = new Fleet("stale")) {
            HoldingSessionFactory solo = new HoldingSessionFactory();
            fleet.worker("solo", 2, solo);
            await().atMost(WAIT).until(() -> fleet.plane.registry().totals().modelReady());
            TaskRecord t = admitted(fleet.launch("room-stale", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING);
            // the only worker was judged dead during a heartbeat gap (its own reaper can do that after a Redis
            // outage); the replay of attempt 2 reaches it while it still holds the attempt-1 session
            replayElsewhere(fleet, t.taskId(), "solo");
            await().atMost(WAIT).until(() -> fleet.task(t.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(t.taskId()).attempts() == 2);
            assertEquals("solo", fleet.task(t.taskId()).workerId());
            assertEquals(List.of(t.taskId(), t.taskId()), solo.started);
            assertEquals(1, solo.live(t.taskId()));
        }
    }

    /** What a reaper does with a task of a worker it judged dead: pending again, its next attempt enqueued. */
    private static void replayElsewhere(Fleet fleet, String taskId, String worker) {
        int next = assertInstanceOf(HandBack.Requeued.class, fleet.plane.store().handBack(taskId, Claim.of(worker, 1))).nextAttempt();
        fleet.plane.requeue().enqueue(taskId, next).orElseThrow();
    }
}
