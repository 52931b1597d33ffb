package dev.avatarfleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import org.junit.jupiter.api.Test;

/** The task store's contract, against a real redis-server. */
class RedisTaskStoreTest {

    private static NewTask launch(String room, String identity) {
        return NewTasks.aNewTask(room).as(identity).build();
    }

    private static TaskRecord admitted(Admission a) {
        return assertInstanceOf(Admission.Admitted.class, a).task();
    }

    @Test
    void admitsAPendingTaskInTheSeedShape() throws Exception {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 2);
            TaskRecord t = admitted(f.store.admit(NewTasks.aNewTask("room-a").withAvatarId("a-1").withWarnings("no face found").build()));
            assertEquals(TaskStatus.PENDING, t.status());
            assertTrue(t.taskId().matches("[0-9a-f]{8}"));
            JsonNode json = Json.mapper().readTree(Json.write(f.store.get(t.taskId()).orElseThrow()));
            assertEquals(List.of("task_id", "room_name", "status", "created_at", "completed_at", "error"), first6(json));
            assertEquals("pending", json.get("status").asText());
            assertEquals("2026-01-01T12:00:00", json.get("created_at").asText());
            assertTrue(json.get("completed_at").isNull());
            assertTrue(json.get("error").isNull());
            assertEquals("no face found", json.get("warnings").get(0).asText());
            assertEquals("a-1", json.get("avatar_id").asText());
        }
    }

    private static List<String> first6(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names.subList(0, 6);
    }

    @Test
    void refusesNotReadyWithoutALiveReadyWorker() {
        try (StoreFixture f = new StoreFixture()) {
            Admission none = f.store.admit(launch("r", "a"));
            assertEquals(Admission.Reason.NOT_READY, assertInstanceOf(Admission.Refused.class, none).reason());
            f.registry.heartbeat(WorkerStates.aReadyWorker("cold").withSlots(4).warming().build());
            assertEquals(Admission.Reason.NOT_READY, assertInstanceOf(Admission.Refused.class, f.store.admit(launch("r", "a"))).reason());
            f.readyWorker("w1", 4);
            f.clock.advance(f.settings.deadWorkerTimeout().plusMillis(1));
            // why: its heartbeat is now too old, so it no longer counts
            assertEquals(Admission.Reason.NOT_READY, assertInstanceOf(Admission.Refused.class, f.store.admit(launch("r", "a"))).reason());
            f.readyWorker("w1", 4);
            admitted(f.store.admit(launch("r", "a")));
        }
    }

    @Test
    void aDrainingWorkersSessionsDoNotTakeTheSlotsOfTheWorkersThatReplaceIt() throws Exception {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("old", 1);
            String running = admitted(f.store.admit(launch("r-old", "a"))).taskId();
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(running, "old", 1));
            assertEquals(Transition.DONE, f.store.markRunning(running, "old"));
            // a rolling deploy: "old" got SIGTERM and drains its session; "new" is up with a free slot
            f.registry.heartbeat(WorkerStates.aReadyWorker("old").holding(1).saturated().draining().build());
            f.readyWorker("new", 1);
            assertEquals(1, f.registry.totals().availableSessions(), "/ready sees the free slot on new");
            assertEquals("ready", f.registry.totals().readiness());
            admitted(f.store.admit(launch("r-new", "a")));
            // and no more than that one: new is full now
            assertEquals(Admission.Reason.AT_CAPACITY,
                    assertInstanceOf(Admission.Refused.class, f.store.admit(launch("r-third", "a"))).reason());
            assertEquals(0, f.registry.totals().availableSessions());
        }
    }

    @Test
    void concurrentAdmissionsNeverExceedTheFleetsSlots() throws Exception {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            f.readyWorker("w2", 4);
            int n = 40;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Admission>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    String room = "room-" + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        return f.store.admit(launch(room, "avatar"));
                    }));
                }
                go.countDown();
            }
            int admittedCount = 0;
            int atCapacity = 0;
            for (Future<Admission> r : results) {
                switch (r.get()) {
                    case Admission.Admitted a -> admittedCount++;
                    case Admission.Refused refused -> {
                        assertEquals(Admission.Reason.AT_CAPACITY, refused.reason());
                        atCapacity++;
                    }
                    case Admission.Existing e -> throw new AssertionError("no two launches share a room here");
                }
            }
            assertEquals(8, admittedCount);
            assertEquals(n - 8, atCapacity);
            assertEquals(8, f.store.activeCount());
        }
    }

    @Test
    void aRepeatedLaunchForTheSameRoomAndAvatarReturnsTheActiveTask() throws Exception {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            Set<String> ids = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 10; i++) {
                    pool.submit(() -> {
                        go.await();
                        switch (f.store.admit(launch("same-room", "avatar"))) {
                            case Admission.Admitted a -> ids.add(a.task().taskId());
                            case Admission.Existing e -> ids.add(e.task().taskId());
                            case Admission.Refused r -> throw new AssertionError(r.toString());
                        }
                        return null;
                    });
                }
                go.countDown();
            }
            assertEquals(1, ids.size());
            assertEquals(1, f.store.activeCount());
            String first = ids.iterator().next();
            // a different avatar identity in the same room is another task
            TaskRecord other = admitted(f.store.admit(launch("same-room", "avatar-2")));
            assertTrue(!other.taskId().equals(first));
            // once the first ends, the same room and avatar get a new task
            assertEquals(Transition.DONE, f.store.finish(first, TaskStatus.FAILED, "boom", null, null));
            TaskRecord again = admitted(f.store.admit(launch("same-room", "avatar")));
            assertTrue(!again.taskId().equals(first));
        }
    }

    @Test
    void aTaskIsClaimedOnceAndRecordsItsWorkerAndAttempt() throws Exception {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            List<ClaimOutcome> outcomes = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClaimOutcome>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 12; i++) {
                    String worker = "w" + (i % 3);
                    futures.add(pool.submit(() -> {
                        go.await();
                        return f.store.claim(t.taskId(), worker, 1);
                    }));
                }
                go.countDown();
            }
            for (Future<ClaimOutcome> fu : futures) {
                outcomes.add(fu.get());
            }
            assertEquals(1, outcomes.stream().filter(o -> o == ClaimOutcome.CLAIMED).count());
            assertEquals(11, outcomes.stream().filter(o -> o == ClaimOutcome.DUPLICATE).count());
            TaskRecord claimed = f.store.get(t.taskId()).orElseThrow();
            assertEquals(1, claimed.attempts());
            assertNotNull(claimed.workerId());
            assertNotNull(claimed.claimedAt());
            assertEquals(Set.of(t.taskId()), f.store.tasksOf(claimed.workerId()));
            assertEquals(Transition.NOT_OWNER, f.store.markRunning(t.taskId(), "someone-else"));
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), claimed.workerId()));
            assertEquals(ClaimOutcome.NOT_PENDING, f.store.claim(t.taskId(), "w9", 1));
            assertEquals(ClaimOutcome.UNKNOWN, f.store.claim("ffffffff", "w9", 1));
        }
    }

    @Test
    void onlyLegalTransitionsAndEveryOneIsTimestamped() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(Transition.ILLEGAL, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", null));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            f.clock.advance(Duration.ofSeconds(2));
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), "w1"));
            assertEquals(Transition.ILLEGAL, f.store.markRunning(t.taskId(), "w1"));
            f.clock.advance(Duration.ofSeconds(3));
            assertEquals(Transition.NOT_OWNER, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", "w2"));
            assertEquals(Transition.DONE, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", "w1"));
            assertEquals(Transition.ILLEGAL, f.store.finish(t.taskId(), TaskStatus.FAILED, "late", null, "w1"));
            TaskRecord done = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.COMPLETED, done.status());
            assertEquals(t.createdAt().plusSeconds(2), done.runningAt());
            assertEquals(t.createdAt().plusSeconds(5), done.completedAt());
            assertEquals("agent_left", done.endReason());
            assertNull(done.error());
            assertEquals(0, f.store.activeCount());
            assertEquals(Set.of(), f.store.tasksOf("w1"));
            assertEquals(Transition.NOT_FOUND, f.store.finish("00000000", TaskStatus.CANCELLED, null, null, null));
        }
    }

    @Test
    void stoppingAPendingTaskCancelsItAndItNeverStarts() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            StopResult r = f.store.requestStop(t.taskId(), "stopped before start");
            assertEquals(TaskStatus.CANCELLED, assertInstanceOf(StopResult.Cancelled.class, r).task().status());
            assertEquals(ClaimOutcome.NOT_PENDING, f.store.claim(t.taskId(), "w1", 1));
            assertInstanceOf(StopResult.AlreadyEnded.class, f.store.requestStop(t.taskId(), "again"));
            assertInstanceOf(StopResult.NotFound.class, f.store.requestStop("12345678", "x"));
        }
    }

    @Test
    void stoppingARunningTaskFlagsItForItsWorker() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            f.store.claim(t.taskId(), "w1", 1);
            StopResult r = f.store.requestStop(t.taskId(), "stop");
            StopResult.Signalled s = assertInstanceOf(StopResult.Signalled.class, r);
            assertEquals("w1", s.workerId());
            assertNotNull(s.task().stopRequestedAt());
            assertEquals(List.of(t.taskId()), f.store.stopRequestedOf("w1"));
            // the session comes up after the stop arrived: the worker is told to stop it
            assertEquals(Transition.DONE_STOP_REQUESTED, f.store.markRunning(t.taskId(), "w1"));
            assertEquals(Transition.DONE, f.store.finish(t.taskId(), TaskStatus.CANCELLED, null, "stop", "w1"));
        }
    }

    @Test
    void retentionAndHistoryCapDropOldestTerminalNeverActive() {
        try (StoreFixture f = new StoreFixture(Duration.ofSeconds(60), 3)) {
            f.readyWorker("w1", 100);
            List<String> active = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                active.add(admitted(f.store.admit(launch("active-" + i, "a"))).taskId());
            }
            List<String> ended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                f.clock.advance(Duration.ofSeconds(1));
                f.readyWorker("w1", 100);
                String id = admitted(f.store.admit(launch("ended-" + i, "a"))).taskId();
                f.store.finish(id, TaskStatus.FAILED, "failed " + i, null, null);
                ended.add(id);
            }
            // the cap holds on every terminal transition: the two oldest terminal are gone
            TaskPage page = f.store.list(TaskQuery.all());
            assertEquals(5, page.total());
            assertTrue(f.store.get(ended.get(0)).isEmpty());
            assertTrue(f.store.get(ended.get(1)).isEmpty());
            assertEquals(ended.get(4), page.tasks().get(0).taskId());
            // after the retention every terminal record is dropped, active ones stay
            f.clock.advance(Duration.ofSeconds(61));
            assertEquals(3, f.store.prune());
            TaskPage after = f.store.list(TaskQuery.all());
            assertEquals(Set.copyOf(active), Set.copyOf(after.tasks().stream().map(TaskRecord::taskId).toList()));
        }
    }

    @Test
    void listsNewestFirstWithFiltersAndPaging() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                f.clock.advance(Duration.ofSeconds(1));
                f.readyWorker("w1", 100);
                ids.add(admitted(f.store.admit(launch(i % 2 == 0 ? "even" : "odd", "a" + i))).taskId());
            }
            f.store.claim(ids.get(5), "w1", 1);
            f.store.markRunning(ids.get(5), "w1");
            assertEquals(ids.reversed(), f.store.list(TaskQuery.all()).tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage even = f.store.list(new TaskQuery(null, "even", null, 0, 100));
            assertEquals(List.of(ids.get(4), ids.get(2), ids.get(0)), even.tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage running = f.store.list(new TaskQuery(TaskStatus.RUNNING, null, "w1", 0, 100));
            assertEquals(List.of(ids.get(5)), running.tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage second = f.store.list(new TaskQuery(null, null, null, 2, 2));
            assertEquals(6, second.total());
            assertEquals(List.of(ids.get(3), ids.get(2)), second.tasks().stream().map(TaskRecord::taskId).toList());
        }
    }

    @Test
    void imagesAreStoredOnceByContentHash() {
        try (StoreFixture f = new StoreFixture()) {
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
            String h1 = f.images.put(png);
            String h2 = f.images.put(png.clone());
            assertEquals(h1, h2);
            assertEquals(64, h1.length());
            assertTrue(java.util.Arrays.equals(png, f.images.get(h1).orElseThrow()));
            assertTrue(f.images.get("0".repeat(64)).isEmpty());
            assertTrue(f.images.get("../etc").isEmpty());
            Long ttl = f.redis.call("ttl", c -> c.ttl(f.settings.keyPrefix() + "image:" + h1));
            assertTrue(ttl >= f.settings.taskRetention().toSeconds(), "image outlives the task retention, ttl " + ttl);
        }
    }

    @Test
    void fleetTotalsCountLiveReadyWorkersOnly() {
        try (StoreFixture f = new StoreFixture()) {
            assertEquals("not_ready", f.registry.totals().readiness());
            f.readyWorker("w1", 2);
            f.registry.heartbeat(WorkerStates.aReadyWorker("w2").at("http://b").withSlots(3).draining().build());
            FleetTotals t = f.registry.totals();
            assertEquals(2, t.liveWorkers().size());
            assertEquals(2, t.maxSessions());
            assertEquals("ready", t.readiness());
            admitted(f.store.admit(launch("r1", "a")));
            admitted(f.store.admit(launch("r2", "a")));
            assertEquals("at_capacity", f.registry.totals().readiness());
            assertEquals(0, f.registry.totals().availableSessions());
            f.clock.advance(f.settings.deadWorkerTimeout().plusSeconds(1));
            assertEquals(List.of(), f.registry.liveWorkers());
            assertEquals(Set.of("w1", "w2"), Set.copyOf(f.registry.deadWorkerIds()));
            f.registry.deregister("w1");
            assertEquals(List.of("w2"), f.registry.deadWorkerIds());
        }
    }

    @Test
    void aDeadWorkersTaskGoesBackToPendingAsANewAttemptUntilTheAttemptsAreSpent() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            f.store.markRunning(t.taskId(), "w1");
            assertInstanceOf(OrphanOutcome.Skipped.class, f.store.recoverOrphan(t.taskId(), "w-other", 3));
            assertEquals(2, assertInstanceOf(OrphanOutcome.Requeued.class, f.store.recoverOrphan(t.taskId(), "w1", 3)).nextAttempt());
            TaskRecord requeued = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.PENDING, requeued.status());
            assertNull(requeued.workerId());
            assertEquals(Set.of(), f.store.tasksOf("w1"));
            assertEquals(1, f.store.activeCount(), "still active: it keeps its slot in the fleet's count");
            // the old record, redelivered, cannot start it again; the new attempt can
            assertEquals(ClaimOutcome.DUPLICATE, f.store.claim(t.taskId(), "w2", 1));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w2", 2));
            assertInstanceOf(OrphanOutcome.Failed.class, f.store.recoverOrphan(t.taskId(), "w2", 2));
            TaskRecord failed = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.FAILED, failed.status());
            assertTrue(failed.error().contains("w2 stopped heartbeating"), failed.error());
            assertEquals(2, failed.attempts());
            assertTrue(f.store.forgetWorker("w1"));
            assertTrue(f.registry.liveWorkers().isEmpty());
            f.readyWorker("w3", 8);

            TaskRecord s = admitted(f.store.admit(launch("r2", "a")));
            f.store.claim(s.taskId(), "w3", 1);
            f.store.requestStop(s.taskId(), "stop");
            assertInstanceOf(OrphanOutcome.Cancelled.class, f.store.recoverOrphan(s.taskId(), "w3", 3));
            assertEquals(TaskStatus.CANCELLED, f.store.get(s.taskId()).orElseThrow().status());
        }
    }

    @Test
    void warmUpLoadsTheScriptsAndWritesNothing() {
        try (StoreFixture f = new StoreFixture()) {
            f.redis.call("flushing the script cache", c -> c.scriptFlush());
            f.store.warmUp();
            for (LuaScript script : TaskScripts.all()) {
                assertEquals(List.of(true), f.redis.call("checking a script", c -> c.scriptExists(List.of(script.sha()))), "script loaded");
            }
            assertEquals(java.util.Set.of(), f.redis.call("listing keys", c -> c.keys(f.settings.keyPrefix() + "*")));
        }
    }
}
