package dev.avatarfleet.common.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.kafka.LaunchRecords;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;

/**
 * The fleet's task records in Redis, shared by every API node and worker. Every step that
 * touches more than one key is one Lua script ({@link TaskScripts}), so concurrent API nodes
 * never over-admit and a task is never claimed twice.
 *
 * <p>Retention: a terminal record lives {@code TASK_RETENTION_SECONDS}; at most
 * {@code MAX_TASK_HISTORY} terminal records are kept (oldest dropped first) and active ones are
 * never dropped. Both are enforced on every terminal transition and by {@link #prune()}.
 */
public final class RedisTaskStore {

    private static final int MAX_WARNING_LENGTH = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisGateway redis;
    private final String prefix;
    private final Clock clock;
    private final Duration retention;
    private final int maxHistory;
    private final Duration deadWorkerTimeout;
    private final Duration launchMaxTtl;
    private final FleetSettings.Backoff backoff;
    /** The epoch this node last saw; an admission built for another one is built again. */
    private volatile String epoch = "";

    /**
     * @param clock this node's own clock, for what is the node's to decide (how long a launch is kept, from its token's
     *              expiry); every timestamp and liveness decision in Redis is Redis's {@code TIME}
     */
    public RedisTaskStore(RedisGateway redis, FleetSettings settings, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = settings.keyPrefix();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = settings.taskRetention();
        this.maxHistory = settings.maxTaskHistory();
        this.deadWorkerTimeout = settings.deadWorkerTimeout();
        this.launchMaxTtl = settings.recovery().launchMaxTtl();
        this.backoff = settings.backoff();
    }

    /**
     * Admits a launch, atomically over the whole fleet: returns the active task of the same room
     * and avatar identity if there is one; else refuses {@code not_ready} when no live worker has
     * its model loaded, {@code at_capacity} when pending + running tasks fill every live ready
     * worker's {@code MAX_SESSIONS}; else creates the task as {@code pending} and keeps its launch
     * (in the current epoch) with it, until the task ends or the token expires.
     */
    public Admission admit(NewTask task) {
        return admit(task, TenantAdmission.NONE);
    }

    /**
     * As {@link #admit(NewTask)}, for a tenant: the task is recorded under it, a repeated launch finds only the
     * tenant's own task, and the launch is refused {@code quota_exceeded} when the tenant's active tasks fill its quota.
     */
    public Admission admit(NewTask task, TenantAdmission tenant) {
        for (int i = 0; i < 8; i++) {
            String id = newTaskId();
            String expected = epoch;
            LaunchSpec launch = new LaunchSpec(id, 1, task.roomName(), task.livekitUrl(), task.livekitToken(), task.imageHash(),
                    task.prompt(), task.avatarId(), task.identity(), expected);
            List<?> reply = (List<?>) redis.run("admitting a launch for room " + task.roomName(), TaskScripts.ADMIT, List.of(
                    prefix, id, Long.toString(deadWorkerTimeout.toMillis()), task.roomName(), task.identity(),
                    nullToEmpty(task.avatarId()), nullToEmpty(task.imageHash()), joinWarnings(task.warnings()),
                    nullToEmpty(task.billingKeyId()), expected, newEpoch(), LaunchRecords.encode(launch),
                    Long.toString(launchTtl(task.tokenExpiresAt()).toMillis()),
                    // why: last, as the script reads them from the end
                    nullToEmpty(tenant.tenant()), Integer.toString(tenant.maxSessions())));
            String outcome = (String) reply.get(0);
            switch (outcome) {
                case "admitted" -> {
                    return new Admission.Admitted(require(id), launch);
                }
                case "existing" -> {
                    return new Admission.Existing(require((String) reply.get(1)));
                }
                case "not_ready" -> {
                    return new Admission.Refused(Admission.Reason.NOT_READY, Long.parseLong((String) reply.get(1)), Long.parseLong((String) reply.get(2)));
                }
                case "at_capacity" -> {
                    return new Admission.Refused(Admission.Reason.AT_CAPACITY, Long.parseLong((String) reply.get(1)), Long.parseLong((String) reply.get(2)));
                }
                case "quota_exceeded" -> {
                    return new Admission.Refused(Admission.Reason.QUOTA_EXCEEDED, Long.parseLong((String) reply.get(1)), Long.parseLong((String) reply.get(2)));
                }
                case "epoch" -> {
                    // why: first admission of this node, or Redis lost its data since: the launch names the epoch it is in
                    epoch = (String) reply.get(1);
                }
                case "collision" -> {
                    // why: 32 random bits as in the seed's ids; on the rare clash draw again
                }
                default -> throw new IllegalStateException("unexpected admission reply " + reply);
            }
        }
        throw new IllegalStateException("could not admit a launch for room " + task.roomName() + " in 8 tries");
    }

    /** The tenant a task was launched under: empty when the task is unknown, or has none (launched open). */
    public Optional<String> tenantOf(String taskId) {
        return Optional.ofNullable(redis.call("reading the tenant of task " + taskId, c -> c.hget(prefix + "task:" + taskId, "tenant")));
    }

    /** The current generation of the fleet's Redis data (made now if Redis has none). */
    public String epoch() {
        String e = (String) redis.run("reading the fleet epoch", TaskScripts.EPOCH, List.of(prefix, newEpoch()));
        epoch = e;
        return e;
    }

    /** The launch kept with a task since its admission, while the task is active and its token valid. */
    public Optional<LaunchSpec> launchOf(String taskId) {
        String value = redis.call("reading the launch of task " + taskId, c -> c.get(prefix + "launch:" + taskId));
        return LaunchRecords.decode(value);
    }

    /** Stores where the task's latest launch record landed in Kafka (for replay), and that it was enqueued now. */
    public void recordLogPosition(String taskId, int partition, long offset) {
        redis.run("recording the log position of task " + taskId, TaskScripts.POSITION,
                List.of(prefix, taskId, Integer.toString(partition), Long.toString(offset)));
    }

    /** The task, if it exists (terminal records vanish after retention). */
    public Optional<TaskRecord> get(String taskId) {
        Map<String, String> hash = redis.call("reading task " + taskId, c -> c.hgetAll(prefix + "task:" + taskId));
        return hash == null || hash.isEmpty() ? Optional.empty() : Optional.of(TaskHashes.toRecord(hash));
    }

    /** Tasks of the whole fleet, newest first, filtered and paged, from one atomic snapshot. */
    public TaskPage list(TaskQuery query) {
        return list(query, null);
    }

    /**
     * The tasks of one tenant (null: of the whole fleet), newest first, filtered and paged, from one atomic
     * snapshot of the tenant's own index: its totals are its own.
     */
    public TaskPage list(TaskQuery query, String tenant) {
        String index = tenant == null ? "tasks" : "tenant:" + tenant + ":tasks";
        if (query.status() == null && query.roomName() == null && query.workerId() == null) {
            List<?> reply = (List<?>) redis.run("listing tasks", TaskScripts.LIST_PAGE, List.of(prefix, index,
                    Integer.toString(query.offset()), Integer.toString(query.limit())));
            List<TaskRecord> page = ((List<?>) reply.get(1)).stream()
                    .map(row -> TaskHashes.toRecord(TaskHashes.pairs((List<?>) row))).toList();
            return new TaskPage(page, ((Number) reply.get(0)).intValue(), query.offset(), query.limit());
        }
        // why: a filter reads the whole index (no secondary index per status, room or worker yet)
        List<?> rows = (List<?>) redis.run("listing tasks", TaskScripts.LIST, List.of(prefix, index));
        List<TaskRecord> matching = new ArrayList<>();
        for (Object row : rows) {
            TaskRecord r = TaskHashes.toRecord(TaskHashes.pairs((List<?>) row));
            if ((query.status() == null || r.status() == query.status())
                    && (query.roomName() == null || query.roomName().equals(r.roomName()))
                    && (query.workerId() == null || query.workerId().equals(r.workerId()))) {
                matching.add(r);
            }
        }
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(matching.size(), from + query.limit());
        return new TaskPage(matching.subList(from, to), matching.size(), query.offset(), query.limit());
    }

    /**
     * Stops a task: a pending unclaimed task is cancelled at once and never starts; a claimed or
     * running one is flagged and its worker is told on its stop channel.
     */
    public StopResult requestStop(String taskId, String reason) {
        List<?> reply = (List<?>) redis.run("stopping task " + taskId, TaskScripts.STOP, List.of(
                prefix, taskId, reason == null ? "stopped" : reason,
                Long.toString(retention.toMillis()), Integer.toString(maxHistory)));
        String outcome = (String) reply.get(0);
        return switch (outcome) {
            case "not_found" -> new StopResult.NotFound(taskId);
            case "cancelled" -> new StopResult.Cancelled(require(taskId));
            case "signalled" -> new StopResult.Signalled(require(taskId), (String) reply.get(1));
            case "ended" -> new StopResult.AlreadyEnded(require(taskId));
            default -> throw new IllegalStateException("unexpected stop reply " + reply);
        };
    }

    /**
     * A worker claims a task for the given attempt: only a pending task, only once per attempt (the same worker asking
     * again for the same attempt is told {@code claimed} again: its first reply was lost). Records the worker and
     * counts the attempt. A record of an earlier epoch whose task Redis no longer knows is adopted: the task is made
     * again, claimed by this worker.
     */
    public ClaimOutcome claim(LaunchSpec spec, String workerId) {
        String reply = (String) redis.run("claiming task " + spec.taskId(), TaskScripts.CLAIM, List.of(
                prefix, spec.taskId(), workerId, Integer.toString(spec.attempt()),
                Long.toString(retention.toMillis()), Integer.toString(maxHistory), nullToEmpty(spec.epoch()), newEpoch(),
                spec.roomName(), nullToEmpty(spec.identity()), nullToEmpty(spec.avatarId()), nullToEmpty(spec.imageHash())));
        return ClaimOutcome.valueOf(reply.toUpperCase(java.util.Locale.ROOT));
    }

    /** As {@link #claim(LaunchSpec, String)} for a record that names no epoch (never adopted). */
    public ClaimOutcome claim(String taskId, String workerId, int attempt) {
        String reply = (String) redis.run("claiming task " + taskId, TaskScripts.CLAIM, List.of(
                prefix, taskId, workerId, Integer.toString(attempt),
                Long.toString(retention.toMillis()), Integer.toString(maxHistory), "", "", "", "", "", ""));
        return ClaimOutcome.valueOf(reply.toUpperCase(java.util.Locale.ROOT));
    }

    /** The claiming worker reports its session running (refused when the claim is no longer the task's). */
    public Transition markRunning(String taskId, Claim claim) {
        String reply = (String) redis.run("marking task " + taskId + " running", TaskScripts.RUNNING,
                List.of(prefix, taskId, claim.workerId(), Integer.toString(claim.attempt())));
        return Transition.valueOf(reply.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Ends a task (completed, failed or cancelled). {@code claim} null lets anyone end it (an operator, a reaper);
     * otherwise only while the claim is still the task's.
     *
     * @param error     required when failed
     * @param endReason how it ended, or null
     */
    public Transition finish(String taskId, TaskStatus terminal, String error, String endReason, Claim claim) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not a terminal status");
        }
        if (terminal == TaskStatus.FAILED && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a failed task needs an error text");
        }
        String reply = (String) redis.run("ending task " + taskId, TaskScripts.FINISH, List.of(
                prefix, taskId, terminal.wire(), nullToEmpty(error), nullToEmpty(endReason),
                Long.toString(retention.toMillis()), Integer.toString(maxHistory),
                claim == null ? "" : claim.workerId(), claim == null ? "" : Integer.toString(claim.attempt())));
        return Transition.valueOf(reply.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Fails a task whose launch record could not be produced, but only while it is pending and unclaimed: a produce
     * that timed out may have been written, and a worker may run the task already.
     */
    public Unenqueued failUnenqueued(String taskId, String error) {
        String reply = (String) redis.run("failing the unenqueued task " + taskId, TaskScripts.FAIL_UNENQUEUED, List.of(
                prefix, taskId, error, "enqueue_failed", Long.toString(retention.toMillis()), Integer.toString(maxHistory)));
        return Unenqueued.valueOf(reply.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Recovers one task of a dead worker: back to {@code pending} as a new attempt (the caller
     * re-enqueues its launch record), or {@code failed} when {@code maxAttempts} are spent, or
     * {@code cancelled} when a stop had been asked. Redis checks on its own clock that the worker's
     * heartbeat is really older than the dead-worker timeout: a worker that beat again keeps its task.
     * A task that moved on meanwhile is left alone, so several nodes may run recovery at once.
     */
    public OrphanOutcome recoverOrphan(String taskId, String deadWorkerId, int maxAttempts) {
        return recoverOrphan(taskId, deadWorkerId, maxAttempts, deadWorkerTimeout,
                "worker " + deadWorkerId + " stopped heartbeating; no attempts left (" + maxAttempts + " of " + maxAttempts + ")");
    }

    /**
     * As {@link #recoverOrphan(String, String, int)}, for a worker whose heartbeat must be older than
     * {@code staleAfter} (shorter than the dead-worker timeout when its death was confirmed otherwise), with the
     * error to record if it fails.
     */
    public OrphanOutcome recoverOrphan(String taskId, String deadWorkerId, int maxAttempts, Duration staleAfter, String errorIfFailed) {
        List<?> reply = (List<?>) redis.run("recovering task " + taskId + " of dead worker " + deadWorkerId, TaskScripts.ORPHAN, List.of(
                prefix, taskId, deadWorkerId, Long.toString(staleAfter.toMillis()), Integer.toString(maxAttempts),
                Long.toString(retention.toMillis()), Integer.toString(maxHistory), errorIfFailed));
        int attempts = Integer.parseInt((String) reply.get(1));
        return switch ((String) reply.get(0)) {
            case "requeued" -> new OrphanOutcome.Requeued(attempts + 1);
            case "failed" -> new OrphanOutcome.Failed();
            case "cancelled" -> new OrphanOutcome.Cancelled();
            case "alive" -> new OrphanOutcome.Alive();
            default -> new OrphanOutcome.Skipped();
        };
    }

    /**
     * A worker gives back a task it holds under {@code claim} (it drains, it was cut off from Redis, or it does not run
     * what Redis records on it): pending again for the next attempt, unless a stop was asked (cancelled) or the claim
     * is no longer the task's (nothing changes).
     */
    public HandBack handBack(String taskId, Claim claim) {
        List<?> reply = (List<?>) redis.run("handing back task " + taskId, TaskScripts.HANDBACK, List.of(
                prefix, taskId, claim.workerId(), Integer.toString(claim.attempt()),
                Long.toString(retention.toMillis()), Integer.toString(maxHistory)));
        return switch ((String) reply.get(0)) {
            case "requeued" -> new HandBack.Requeued(Integer.parseInt((String) reply.get(1)) + 1);
            case "cancelled" -> new HandBack.Cancelled();
            default -> new HandBack.NotOwner();
        };
    }

    /**
     * A worker tells a Redis that no longer knows the task what it runs: the task as running on it under this claim,
     * its launch kept again. False when Redis knows the task (nothing changes).
     */
    public boolean reassert(LaunchSpec spec, String workerId) {
        String reply = (String) redis.run("telling Redis again about task " + spec.taskId(), TaskScripts.REASSERT, List.of(
                prefix, spec.taskId(), workerId, Integer.toString(spec.attempt()), spec.roomName(), nullToEmpty(spec.identity()),
                nullToEmpty(spec.avatarId()), nullToEmpty(spec.imageHash()), LaunchRecords.encode(spec.asAttempt(1)),
                Long.toString(launchMaxTtl.toMillis())));
        return "reasserted".equals(reply);
    }

    /** Removes a dead worker from the registry once none of its tasks is left; true if removed. */
    public boolean forgetWorker(String workerId) {
        return ((Long) redis.run("forgetting worker " + workerId, TaskScripts.FORGET_WORKER, List.of(prefix, workerId))) == 1L;
    }

    /** Appends notes to the task's {@code warnings} list, while {@code claim} is the task's (null: whoever asks). */
    public void addWarnings(String taskId, Claim claim, List<String> warnings) {
        if (warnings == null || warnings.isEmpty()) {
            return;
        }
        redis.run("adding warnings to task " + taskId, TaskScripts.WARN, List.of(prefix, taskId, joinWarnings(warnings),
                claim == null ? "" : claim.workerId(), claim == null ? "" : Integer.toString(claim.attempt())));
    }

    /**
     * Pending tasks no worker has claimed whose launch was last (re)enqueued longer than {@code after} ago, on Redis's
     * clock: their record was never produced, or it was archived by the share group after its delivery limit.
     */
    @SuppressWarnings("unchecked")
    public List<String> stalePending(Duration after) {
        return (List<String>) redis.run("looking for pending tasks nobody claims", TaskScripts.STALE_PENDING,
                List.of(prefix, Long.toString(after.toMillis())));
    }

    /**
     * Takes one stale pending task ({@link #stalePending}) for a re-enqueue: counted, and marked enqueued now; or
     * failed with {@code errorIfSpent} once it was re-enqueued {@code maxReenqueues} times.
     */
    public Reenqueue takeStale(String taskId, Duration after, int maxReenqueues, String errorIfSpent) {
        List<?> reply = (List<?>) redis.run("taking the stale pending task " + taskId, TaskScripts.TAKE_STALE, List.of(
                prefix, taskId, Long.toString(after.toMillis()), Integer.toString(maxReenqueues), errorIfSpent,
                Long.toString(retention.toMillis()), Integer.toString(maxHistory)));
        return switch ((String) reply.get(0)) {
            case "reenqueue" -> new Reenqueue.Take(Integer.parseInt((String) reply.get(1)) + 1, Integer.parseInt((String) reply.get(2)));
            case "failed" -> new Reenqueue.Failed();
            default -> new Reenqueue.Skipped();
        };
    }

    /**
     * An operator replays an ended (failed, cancelled or completed) task: pending again for its next attempt, keeping
     * its id, its creation and its attempts; the room's dedup key is taken again only if no other task holds it.
     */
    public Replay replay(String taskId) {
        List<?> reply = (List<?>) redis.run("replaying task " + taskId, TaskScripts.REPLAY, List.of(prefix, taskId));
        return switch ((String) reply.get(0)) {
            case "replayed" -> new Replay.Replayed(require(taskId), Integer.parseInt((String) reply.get(1)) + 1);
            case "active" -> new Replay.Active((String) reply.get(1));
            case "room_busy" -> new Replay.RoomBusy((String) reply.get(1));
            default -> new Replay.NotFound();
        };
    }

    /** Drops terminal records older than the retention (on Redis's clock) and beyond the history cap; returns how many. */
    public long prune() {
        Object n = redis.run("pruning task history", TaskScripts.PRUNE, List.of(prefix, Long.toString(retention.toMillis()),
                Integer.toString(maxHistory)));
        return (Long) n;
    }

    /**
     * Loads every task script into Redis's script cache (at a node's start), so the first admit or claim
     * after a start is one EVALSHA instead of a miss and a full EVAL. Redis forgets them on restart; the
     * scripts then load themselves again on first use.
     */
    public void loadScripts() {
        for (LuaScript script : TaskScripts.all()) {
            redis.call("loading the task scripts", c -> {
                script.load(c);
                return null;
            });
        }
    }

    /**
     * A node's first admit or claim after its start, paid at start: every script loaded ({@link #loadScripts()})
     * and the claim script run once through this client for a task id that cannot exist (it answers
     * {@code unknown} and writes nothing).
     */
    public void warmUp() {
        loadScripts();
        claim("warmup-" + java.util.UUID.randomUUID(), "warmup", 1);
    }

    /** Pending plus running tasks of the whole fleet. */
    public long activeCount() {
        return redis.call("counting active tasks", c -> c.scard(prefix + "active"));
    }

    /** The active tasks a worker has claimed. */
    public Set<String> tasksOf(String workerId) {
        return redis.call("reading the tasks of worker " + workerId, c -> c.smembers(prefix + "worker:" + workerId + ":tasks"));
    }

    /** The Redis pub/sub channel on which a worker hears stop requests (payload: the task id). */
    public String stopChannel(String workerId) {
        return prefix + "stop:" + workerId;
    }

    /**
     * Subscribes {@code onStop} to {@code workerId}'s stop channel: it is given the id of each task a
     * {@code POST /tasks/{id}/stop} asks that worker to stop. Returns once Redis confirmed (up to 5 s).
     */
    public StopSubscription subscribeToStops(String workerId, Consumer<String> onStop) {
        return StopSubscription.start(redis, stopChannel(workerId), onStop, backoff);
    }

    /** How long a launch is kept with its task: until its token expires, at most {@code LAUNCH_RECORD_MAX_TTL_SECONDS}. */
    private Duration launchTtl(Instant tokenExpiresAt) {
        if (tokenExpiresAt == null) {
            return launchMaxTtl;
        }
        Duration left = Duration.between(clock.instant(), tokenExpiresAt);
        // why: a token that expires within the second still gets its launch kept long enough to be enqueued
        return left.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : left.compareTo(launchMaxTtl) > 0 ? launchMaxTtl : left;
    }

    private static String newEpoch() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private TaskRecord require(String id) {
        return get(id).orElseThrow(() -> new IllegalStateException("task " + id + " vanished right after it was written"));
    }

    private static String newTaskId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String joinWarnings(List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        for (String w : warnings) {
            if (w == null || w.isBlank()) {
                continue;
            }
            String clean = w.replace('\n', ' ').replace('\r', ' ');
            if (clean.length() > MAX_WARNING_LENGTH) {
                clean = clean.substring(0, MAX_WARNING_LENGTH);
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(clean);
        }
        return sb.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Conversions between task hashes and {@link TaskRecord}. */
    static final class TaskHashes {

        private TaskHashes() {
        }

        static Map<String, String> pairs(List<?> flat) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                m.put((String) flat.get(i), (String) flat.get(i + 1));
            }
            return m;
        }

        static TaskRecord toRecord(Map<String, String> h) {
            String warnings = h.get("warnings");
            return new TaskRecord(
                    h.get("task_id"),
                    h.get("room_name"),
                    TaskStatus.fromWire(h.get("status")).orElseThrow(() -> new IllegalStateException("bad status in " + h)),
                    instant(h.get("created_at")),
                    instant(h.get("completed_at")),
                    h.get("error"),
                    h.get("worker_id"),
                    h.get("attempts") == null ? 0 : Integer.parseInt(h.get("attempts")),
                    warnings == null || warnings.isEmpty() ? List.of() : Arrays.asList(warnings.split("\n")),
                    instant(h.get("claimed_at")),
                    instant(h.get("running_at")),
                    instant(h.get("stop_requested_at")),
                    h.get("end_reason"),
                    emptyToNull(h.get("avatar_identity")),
                    h.get("avatar_id"),
                    h.get("image_hash"),
                    h.get("kafka_partition") == null ? null : Integer.valueOf(h.get("kafka_partition")),
                    h.get("kafka_offset") == null ? null : Long.valueOf(h.get("kafka_offset")),
                    h.get("billing_key_id"));
        }

        private static Instant instant(String ms) {
            return ms == null ? null : Instant.ofEpochMilli(Long.parseLong(ms));
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }
}
