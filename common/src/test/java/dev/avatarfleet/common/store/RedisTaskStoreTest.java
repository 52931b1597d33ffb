package dev.avatarfleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.LaunchSpecs;
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
            assertTrue(json.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), json.get("created_at").asText());
            assertTrue(json.get("completed_at").isNull());
            assertTrue(json.get("error").isNull());
            assertEquals("no face found", json.get("warnings").get(0).asText());
            assertEquals("a-1", json.get("avatar_id").asText());
            // the launch is kept with the task, in the current epoch, for a re-enqueue when it has no Kafka record
            LaunchSpec kept = f.store.launchOf(t.taskId()).orElseThrow();
            assertEquals(t.taskId(), kept.taskId());
            assertEquals("token-room-a", kept.livekitToken());
            assertEquals(1, kept.attempt());
            assertEquals(f.store.epoch(), kept.epoch());
        }
    }

    /** Issue 14, defect 6: every time in a task record is Redis's, whatever the clock of the node that wrote it. */
    @Test
    void timestampsAreRedisTimeNotTheNodesClock() {
        try (StoreFixture f = new StoreFixture()) {
            // the fixture's node clock reads 2026-01-01T12:00Z, far from the real time
            f.readyWorker("w1", 2);
            long before = System.currentTimeMillis();
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            long after = System.currentTimeMillis();
            TaskRecord running = f.store.get(t.taskId()).orElseThrow();
            for (Instant at : List.of(running.createdAt(), running.claimedAt(), running.runningAt())) {
                assertTrue(at.toEpochMilli() >= before - 1000 && at.toEpochMilli() <= after + 1000, "not Redis time: " + at);
            }
            assertTrue(f.registry.liveWorkers().get(0).heartbeatAt().toEpochMilli() >= before - 2000);
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
            admitted(f.store.admit(launch("r", "a")));
        }
        try (StoreFixture f = StoreFixture.withDeadAfter(Duration.ofMillis(3000))) {
            f.readyWorker("w1", 4);
            // why: once its heartbeat is older than the dead-worker timeout (on Redis's clock) it no longer counts
            await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.liveWorkers().isEmpty());
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
            assertEquals(Transition.DONE, f.store.markRunning(running, Claim.of("old", 1)));
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
            // why: one worker wins; its own other tries are told claimed again (a retried claim), the rest duplicate
            TaskRecord claimed = f.store.get(t.taskId()).orElseThrow();
            assertEquals(4, outcomes.stream().filter(o -> o == ClaimOutcome.CLAIMED).count());
            assertEquals(8, outcomes.stream().filter(o -> o == ClaimOutcome.DUPLICATE).count());
            assertEquals(1, claimed.attempts());
            assertNotNull(claimed.workerId());
            assertNotNull(claimed.claimedAt());
            assertEquals(Set.of(t.taskId()), f.store.tasksOf(claimed.workerId()));
            assertEquals(Transition.NOT_OWNER, f.store.markRunning(t.taskId(), Claim.of("someone-else", 1)));
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of(claimed.workerId(), 1)));
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
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            // why: running again is a no-op for its own claim (a worker tells Redis again after a data loss)
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            assertEquals(Transition.NOT_OWNER, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", Claim.of("w2", 1)));
            assertEquals(Transition.NOT_OWNER, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", Claim.of("w1", 2)));
            assertEquals(Transition.DONE, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", Claim.of("w1", 1)));
            assertEquals(Transition.ILLEGAL, f.store.finish(t.taskId(), TaskStatus.FAILED, "late", null, Claim.of("w1", 1)));
            assertEquals(Transition.ILLEGAL, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            TaskRecord done = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.COMPLETED, done.status());
            assertTrue(!done.claimedAt().isBefore(t.createdAt()) && !done.runningAt().isBefore(done.claimedAt())
                    && !done.completedAt().isBefore(done.runningAt()), "in order: " + done);
            assertTrue(f.store.launchOf(t.taskId()).isEmpty(), "the kept launch goes when the task ends");
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
            assertTrue(f.store.get(t.taskId()).orElseThrow().stopRequested());
            // the session comes up after the stop arrived: the worker is told to stop it
            assertEquals(Transition.DONE_STOP_REQUESTED, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            assertEquals(Transition.DONE, f.store.finish(t.taskId(), TaskStatus.CANCELLED, null, "stop", Claim.of("w1", 1)));
        }
    }

    @Test
    void retentionAndHistoryCapDropOldestTerminalNeverActive() {
        try (StoreFixture f = new StoreFixture(Duration.ofSeconds(4), 3)) {
            f.readyWorker("w1", 100);
            List<String> active = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                active.add(admitted(f.store.admit(launch("active-" + i, "a"))).taskId());
            }
            List<String> ended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
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
            // after the retention (on Redis's clock) every terminal record is dropped, active ones stay
            AtomicLong pruned = new AtomicLong();
            await().atMost(Duration.ofSeconds(10)).until(() -> pruned.addAndGet(f.store.prune()) == 3);
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
                ids.add(admitted(f.store.admit(launch(i % 2 == 0 ? "even" : "odd", "a" + i))).taskId());
            }
            f.store.claim(ids.get(5), "w1", 1);
            f.store.markRunning(ids.get(5), Claim.of("w1", 1));
            assertEquals(ids.reversed(), f.store.list(TaskQuery.all()).tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage even = f.store.list(new TaskQuery(null, "even", null, 0, 100));
            assertEquals(List.of(ids.get(4), ids.get(2), ids.get(0)), even.tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage running = f.store.list(new TaskQuery(TaskStatus.RUNNING, null, "w1", 0, 100));
            assertEquals(List.of(ids.get(5)), running.tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage second = f.store.list(new TaskQuery(null, null, null, 2, 2));
            assertEquals(6, second.total());
            assertEquals(List.of(ids.get(3), ids.get(2)), second.tasks().stream().map(TaskRecord::taskId).toList());
            TaskPage past = f.store.list(new TaskQuery(null, null, null, 10, 5));
            assertEquals(6, past.total());
            assertTrue(past.tasks().isEmpty());
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
            assertTrue(ttl > f.settings.recovery().imageTtl().toSeconds() - 60, "IMAGE_TTL_SECONDS, ttl " + ttl);
            assertTrue(f.images.renew(h1));
            assertTrue(!f.images.renew("0".repeat(64)), "a missing image is not renewed");
        }
    }

    @Test
    void fleetTotalsCountLiveReadyWorkersOnly() {
        try (StoreFixture f = StoreFixture.withDeadAfter(Duration.ofMillis(3000))) {
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
            await().atMost(Duration.ofSeconds(10)).until(() -> f.registry.liveWorkers().isEmpty());
            assertEquals(Set.of("w1", "w2"), Set.copyOf(f.registry.deadWorkerIds()));
            f.registry.deregister("w1");
            assertEquals(List.of("w2"), f.registry.deadWorkerIds());
        }
    }

    @Test
    void aDeadWorkersTaskGoesBackToPendingAsANewAttemptUntilTheAttemptsAreSpent() {
        try (StoreFixture f = StoreFixture.withDeadAfter(Duration.ofMillis(3000))) {
            f.readyWorker("w1", 8);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            f.store.markRunning(t.taskId(), Claim.of("w1", 1));
            assertInstanceOf(OrphanOutcome.Skipped.class, f.store.recoverOrphan(t.taskId(), "w-other", 3));
            // Issue 14, defect 5: a worker whose heartbeat is fresh on Redis's clock is not robbed of its task
            f.readyWorker("w1", 8);
            assertInstanceOf(OrphanOutcome.Alive.class, f.store.recoverOrphan(t.taskId(), "w1", 3));
            assertEquals(TaskStatus.RUNNING, f.store.get(t.taskId()).orElseThrow().status());
            await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.deadWorkerIds().contains("w1"));
            assertEquals(2, assertInstanceOf(OrphanOutcome.Requeued.class, f.store.recoverOrphan(t.taskId(), "w1", 3)).nextAttempt());
            TaskRecord requeued = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.PENDING, requeued.status());
            assertNull(requeued.workerId());
            assertEquals(Set.of(), f.store.tasksOf("w1"));
            assertEquals(1, f.store.activeCount(), "still active: it keeps its slot in the fleet's count");
            // the old record, redelivered, cannot start it again; the new attempt can
            assertEquals(ClaimOutcome.DUPLICATE, f.store.claim(t.taskId(), "w2", 1));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w2", 2));
            // w2 never heartbeat: not registered, so no beat says it lives
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
            await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.deadWorkerIds().contains("w3"));
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

    /** Issue 14, defect 2: a claim whose reply was lost, asked again by the same worker for the same attempt, is its. */
    @Test
    void aClaimAskedAgainByTheSameWorkerForTheSameAttemptIsClaimedAgain() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 2);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1), "the same worker asking again");
            assertEquals(ClaimOutcome.DUPLICATE, f.store.claim(t.taskId(), "w2", 1), "another worker");
            assertEquals(1, f.store.get(t.taskId()).orElseThrow().attempts());
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            assertEquals(ClaimOutcome.NOT_PENDING, f.store.claim(t.taskId(), "w1", 1), "running: no second start");
        }
    }

    /** Issue 14, defect 5: once the fleet replayed a task, the writes of its earlier attempt are refused. */
    @Test
    void theWritesOfAnAttemptTheFleetReplayedAreRefused() {
        try (StoreFixture f = StoreFixture.withDeadAfter(Duration.ofMillis(3000))) {
            f.readyWorker("w1", 2);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 1));
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 1)));
            await().atMost(Duration.ofSeconds(15)).until(() -> f.registry.deadWorkerIds().contains("w1"));
            assertInstanceOf(OrphanOutcome.Requeued.class, f.store.recoverOrphan(t.taskId(), "w1", 3));
            // the same worker (back from its gap) claims the replay: attempt 2; attempt 1's session still writes
            f.readyWorker("w1", 2);
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 2));
            Claim stale = Claim.of("w1", 1);
            assertEquals(Transition.NOT_OWNER, f.store.markRunning(t.taskId(), stale));
            f.store.addWarnings(t.taskId(), stale, List.of("from the stale attempt"));
            assertEquals(Transition.NOT_OWNER, f.store.finish(t.taskId(), TaskStatus.CANCELLED, null, "stopped", stale));
            assertInstanceOf(HandBack.NotOwner.class, f.store.handBack(t.taskId(), stale));
            TaskRecord now = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.PENDING, now.status());
            assertEquals(List.of(), now.warnings());
            assertEquals(Transition.DONE, f.store.markRunning(t.taskId(), Claim.of("w1", 2)));
            assertEquals(Transition.DONE, f.store.finish(t.taskId(), TaskStatus.COMPLETED, null, "agent_left", Claim.of("w1", 2)));
        }
    }

    @Test
    void aHandedBackTaskIsPendingForItsNextAttemptAndAStoppedOneIsCancelled() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            f.store.claim(t.taskId(), "w1", 1);
            f.store.markRunning(t.taskId(), Claim.of("w1", 1));
            assertInstanceOf(HandBack.NotOwner.class, f.store.handBack(t.taskId(), Claim.of("w2", 1)));
            assertEquals(2, assertInstanceOf(HandBack.Requeued.class, f.store.handBack(t.taskId(), Claim.of("w1", 1))).nextAttempt());
            TaskRecord pending = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.PENDING, pending.status());
            assertNull(pending.workerId());
            assertEquals(Set.of(), f.store.tasksOf("w1"));
            assertTrue(f.store.launchOf(t.taskId()).isPresent(), "still active: its launch is kept");

            TaskRecord s = admitted(f.store.admit(launch("r2", "a")));
            f.store.claim(s.taskId(), "w1", 1);
            f.store.requestStop(s.taskId(), "stop");
            assertInstanceOf(HandBack.Cancelled.class, f.store.handBack(s.taskId(), Claim.of("w1", 1)));
            assertEquals(TaskStatus.CANCELLED, f.store.get(s.taskId()).orElseThrow().status());
        }
    }

    /** Issue 14, defect 7: a task whose produce failed is failed only while no worker claimed it. */
    @Test
    void anUnenqueuedTaskIsFailedOnlyWhilePendingAndUnclaimed() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            TaskRecord lost = admitted(f.store.admit(launch("r1", "a")));
            assertEquals(Unenqueued.FAILED, f.store.failUnenqueued(lost.taskId(), "kafka unavailable"));
            assertEquals(TaskStatus.FAILED, f.store.get(lost.taskId()).orElseThrow().status());
            TaskRecord written = admitted(f.store.admit(launch("r2", "a")));
            f.store.claim(written.taskId(), "w1", 1);
            assertEquals(Unenqueued.CLAIMED, f.store.failUnenqueued(written.taskId(), "kafka timed out"));
            assertEquals(TaskStatus.PENDING, f.store.get(written.taskId()).orElseThrow().status());
            assertEquals(Unenqueued.NOT_FOUND, f.store.failUnenqueued("abcdef01", "x"));
        }
    }

    /** Issue 14, defect 4: what a Redis that lost its data forgot is known again; a pruned task's duplicate is not. */
    @Test
    void aRecordOfAnEarlierEpochWhoseTaskIsUnknownIsAdoptedAndAWorkerTellsRedisWhatItRuns() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            String epoch = f.store.epoch();
            assertEquals(epoch, f.store.epoch(), "stable until Redis loses it");
            LaunchSpec pruned = LaunchSpecs.aLaunch("0000aaaa").inRoom("room-p").inEpoch(epoch).build();
            assertEquals(ClaimOutcome.UNKNOWN, f.store.claim(pruned, "w1"), "a record of this epoch with no task: a duplicate");
            assertEquals(ClaimOutcome.UNKNOWN, f.store.claim(LaunchSpecs.aLaunch("0000aaab").build(), "w1"), "no epoch: never adopted");

            LaunchSpec forgotten = LaunchSpecs.aLaunch("0000bbbb").inRoom("room-f").withAvatarId("av").inEpoch("an-earlier-epoch").build();
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(forgotten, "w1"));
            TaskRecord adopted = f.store.get("0000bbbb").orElseThrow();
            assertEquals(TaskStatus.PENDING, adopted.status());
            assertEquals("w1", adopted.workerId());
            assertEquals("room-f", adopted.roomName());
            assertEquals("av", adopted.avatarId());
            assertEquals(Set.of("0000bbbb"), f.store.tasksOf("w1"));
            assertEquals("0000bbbb", assertInstanceOf(Admission.Existing.class, f.store.admit(launch("room-f", "avatar"))).task().taskId());

            LaunchSpec running = LaunchSpecs.aLaunch("0000cccc").inRoom("room-r").attempt(2).build();
            assertTrue(f.store.reassert(running, "w1"));
            assertTrue(!f.store.reassert(running, "w1"), "known now: nothing changes");
            TaskRecord told = f.store.get("0000cccc").orElseThrow();
            assertEquals(TaskStatus.RUNNING, told.status());
            assertEquals(2, told.attempts());
            assertEquals(Transition.DONE, f.store.markRunning("0000cccc", Claim.of("w1", 2)));
            assertEquals("token-0000cccc", f.store.launchOf("0000cccc").orElseThrow().livekitToken());
            assertEquals(2, f.store.activeCount());
        }
    }

    @Test
    void aLeaseIsHeldByOneHolderAtATimeUntilItLapses() {
        try (StoreFixture f = new StoreFixture()) {
            FleetLease a = f.lease("duty", "node-a", Duration.ofMillis(500));
            FleetLease b = f.lease("duty", "node-b", Duration.ofMillis(500));
            assertTrue(a.acquire());
            assertTrue(!b.acquire());
            assertTrue(a.acquire(), "renewed by its holder");
            await().atMost(Duration.ofSeconds(5)).until(b::acquire);
            assertTrue(!a.acquire(), "a holder that stopped renewing lost it");
        }
    }

    @Test
    void aStalePendingTaskIsTakenForAReenqueueUntilItsReenqueuesAreSpent() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertEquals(List.of(), f.store.stalePending(Duration.ofSeconds(60)), "just admitted");
            await().atMost(Duration.ofSeconds(5)).until(() -> f.store.stalePending(Duration.ofMillis(500)).contains(t.taskId()));
            assertEquals(new Reenqueue.Take(1, 1), f.store.takeStale(t.taskId(), Duration.ofMillis(500), 2, "undeliverable"));
            assertInstanceOf(Reenqueue.Skipped.class, f.store.takeStale(t.taskId(), Duration.ofMillis(500), 2, "undeliverable"),
                    "enqueued just now");
            await().atMost(Duration.ofSeconds(5)).until(() -> f.store.takeStale(t.taskId(), Duration.ofMillis(500), 2, "undeliverable")
                    instanceof Reenqueue.Take take && take.count() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> f.store.takeStale(t.taskId(), Duration.ofMillis(500), 2, "undeliverable")
                    instanceof Reenqueue.Failed);
            TaskRecord failed = f.store.get(t.taskId()).orElseThrow();
            assertEquals(TaskStatus.FAILED, failed.status());
            assertEquals("undeliverable", failed.error());
            // a claimed task is never stale
            TaskRecord c = admitted(f.store.admit(launch("r2", "a")));
            f.store.claim(c.taskId(), "w1", 1);
            assertInstanceOf(Reenqueue.Skipped.class, f.store.takeStale(c.taskId(), Duration.ZERO, 2, "x"));
        }
    }

    @Test
    void anEndedTaskIsReplayedKeepingItsIdAndAttemptsUnlessItsRoomIsTaken() {
        try (StoreFixture f = new StoreFixture()) {
            f.readyWorker("w1", 4);
            TaskRecord t = admitted(f.store.admit(launch("r", "a")));
            assertInstanceOf(Replay.Active.class, f.store.replay(t.taskId()));
            f.store.claim(t.taskId(), "w1", 1);
            f.store.finish(t.taskId(), TaskStatus.FAILED, "boom", "failed", Claim.of("w1", 1));
            Replay.Replayed r = assertInstanceOf(Replay.Replayed.class, f.store.replay(t.taskId()));
            assertEquals(2, r.nextAttempt());
            assertEquals(TaskStatus.PENDING, r.task().status());
            assertEquals(t.createdAt(), r.task().createdAt());
            assertNull(r.task().error());
            assertNull(r.task().completedAt());
            assertEquals(1, f.store.activeCount());
            assertEquals(t.taskId(), assertInstanceOf(Admission.Existing.class, f.store.admit(launch("r", "a"))).task().taskId());
            assertEquals(ClaimOutcome.CLAIMED, f.store.claim(t.taskId(), "w1", 2));

            TaskRecord other = admitted(f.store.admit(launch("r2", "a")));
            f.store.requestStop(other.taskId(), "stop");
            TaskRecord taker = admitted(f.store.admit(launch("r2", "a")));
            assertEquals(taker.taskId(), assertInstanceOf(Replay.RoomBusy.class, f.store.replay(other.taskId())).otherTaskId());
            assertInstanceOf(Replay.NotFound.class, f.store.replay("01234567"));
        }
    }
}
