package dev.avatarfleet.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The settings API and worker nodes share: where Kafka and Redis are, the launch topic, task
 * retention and the fleet's timing and recovery. Read once at start with {@link #fromEnvironment(Env)};
 * each setting is declared once, below, as a {@link Setting}.
 *
 * @param kafkaBootstrapServers {@link #KAFKA_BOOTSTRAP_SERVERS}
 * @param redisUrl {@link #REDIS_URL}
 * @param keyPrefix {@link #REDIS_KEY_PREFIX}
 * @param taskTopic {@link #TASK_TOPIC}
 * @param taskTopicPartitions {@link #TASK_TOPIC_PARTITIONS}
 * @param workerGroup {@link #WORKER_GROUP}
 * @param taskRetention {@link #TASK_RETENTION_SECONDS}
 * @param maxTaskHistory {@link #MAX_TASK_HISTORY}
 * @param heartbeatInterval {@link #HEARTBEAT_INTERVAL_MS}
 * @param deadWorkerTimeout {@link #DEAD_WORKER_TIMEOUT_MS}
 * @param taskMaxAttempts {@link #TASK_MAX_ATTEMPTS}
 * @param pruneInterval {@link #PRUNE_INTERVAL_SECONDS}
 * @param redisTimeout {@link #REDIS_TIMEOUT_MS}
 * @param kafkaTimeout {@link #KAFKA_TIMEOUT_MS}
 * @param recovery the topic's durability and how stranded tasks are found again ({@link Recovery})
 * @param backoff how steps against Redis, Kafka and LiveKit are retried ({@link Backoff})
 */
public record FleetSettings(
        String kafkaBootstrapServers,
        URI redisUrl,
        String keyPrefix,
        String taskTopic,
        int taskTopicPartitions,
        String workerGroup,
        Duration taskRetention,
        int maxTaskHistory,
        Duration heartbeatInterval,
        Duration deadWorkerTimeout,
        int taskMaxAttempts,
        Duration pruneInterval,
        Duration redisTimeout,
        Duration kafkaTimeout,
        Recovery recovery,
        Backoff backoff) {

    public static final String DEFAULT_KAFKA = "127.0.0.1:9092";
    public static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.hostPorts("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
            .readBy(Node.API, Node.WORKER).means("the Kafka broker(s)");
    public static final Setting<URI> REDIS_URL = Setting.url("REDIS_URL", DEFAULT_REDIS, Set.of("redis", "rediss"))
            .readBy(Node.API, Node.WORKER).means("the Redis holding tasks, registry and images");
    public static final Setting<String> REDIS_KEY_PREFIX = Setting.identifier("REDIS_KEY_PREFIX", "avatarfleet:", 64)
            .readBy(Node.API, Node.WORKER).means("prefix of every Redis key");
    public static final Setting<String> TASK_TOPIC = Setting.identifier("TASK_TOPIC", "avatar-launches", 200)
            .readBy(Node.API, Node.WORKER).means("the launch topic");
    // why: a share group needs no partitions to spread work; one partition keeps acquisition to one record per poll
    public static final Setting<Integer> TASK_TOPIC_PARTITIONS = Setting.integer("TASK_TOPIC_PARTITIONS", 1, 1, 1000)
            .readBy(Node.API, Node.WORKER).means("partitions when the topic is created");
    public static final Setting<String> WORKER_GROUP = Setting.identifier("WORKER_GROUP", "avatar-workers", 200)
            .readBy(Node.API, Node.WORKER).means("the workers' share group");
    public static final Setting<Duration> TASK_RETENTION_SECONDS = Setting.seconds("TASK_RETENTION_SECONDS", 3600, 1, 30L * 24 * 3600)
            .readBy(Node.API, Node.WORKER).means("how long terminal tasks stay in `/tasks`");
    public static final Setting<Integer> MAX_TASK_HISTORY = Setting.integer("MAX_TASK_HISTORY", 1000, 0, 1_000_000)
            .readBy(Node.API, Node.WORKER).means("at most this many terminal tasks, oldest dropped first (active never)");
    // why: the reaper confirms a killed worker after two missed beats (its port refuses), so the beat sets the failover time
    public static final Setting<Duration> HEARTBEAT_INTERVAL_MS = Setting.millis("HEARTBEAT_INTERVAL_MS", 500, 100, 60_000)
            .readBy(Node.API, Node.WORKER).means("worker heartbeat period; a killed worker is replaced after about two of them");
    public static final Setting<Duration> DEAD_WORKER_TIMEOUT_MS = Setting.millis("DEAD_WORKER_TIMEOUT_MS", 5000, 200, 600_000)
            .readBy(Node.API, Node.WORKER).means("no heartbeat for this long = dead worker (at least twice the interval); "
                    + "a worker that cannot beat for this long stops its own sessions first");
    public static final Setting<Integer> TASK_MAX_ATTEMPTS = Setting.integer("TASK_MAX_ATTEMPTS", 3, 1, 100)
            .readBy(Node.API, Node.WORKER).means("runs per task, replays after a worker died included (a hand-over does not count)");
    public static final Setting<Duration> PRUNE_INTERVAL_SECONDS = Setting.seconds("PRUNE_INTERVAL_SECONDS", 300, 1, 86_400)
            .readBy(Node.API, Node.WORKER).means("how often retention is swept");
    public static final Setting<Duration> REDIS_TIMEOUT_MS = Setting.millis("REDIS_TIMEOUT_MS", 2000, 50, 60_000)
            .readBy(Node.API, Node.WORKER).means("Redis connect and socket timeout");
    public static final Setting<Duration> KAFKA_TIMEOUT_MS = Setting.millis("KAFKA_TIMEOUT_MS", 5000, 100, 120_000)
            .readBy(Node.API, Node.WORKER).means("bound on a produce or an admin call");
    public static final Setting<Integer> TASK_TOPIC_REPLICATION = Setting.integer("TASK_TOPIC_REPLICATION", 1, 1, 32)
            .readBy(Node.API, Node.WORKER).means("replication factor of the launch topic when it is created (production: 3)");
    public static final Setting<Integer> TASK_TOPIC_MIN_INSYNC_REPLICAS = Setting.integer("TASK_TOPIC_MIN_INSYNC_REPLICAS", 1, 1, 32)
            .readBy(Node.API, Node.WORKER).means("`min.insync.replicas` of the launch topic when it is created (production: 2; "
                    + "at most the replication)");
    public static final Setting<Duration> LAUNCH_RECORD_MAX_TTL_SECONDS = Setting.seconds("LAUNCH_RECORD_MAX_TTL_SECONDS", 86_400, 60,
                    30L * 24 * 3600)
            .readBy(Node.API, Node.WORKER).means("a task's launch is kept in Redis until its token expires, at most this long, "
                    + "so a task with no Kafka record can still be enqueued; removed when the task ends");
    public static final Setting<Duration> TASK_REENQUEUE_AFTER_MS = Setting.millis("TASK_REENQUEUE_AFTER_MS", 10_000, 500, 3_600_000)
            .readBy(Node.API, Node.WORKER).means("a pending task no worker has claimed is enqueued again when its launch was last "
                    + "enqueued longer ago than this (while a live worker has a free slot)");
    public static final Setting<Integer> TASK_MAX_REENQUEUES = Setting.integer("TASK_MAX_REENQUEUES", 5, 1, 100)
            .readBy(Node.API, Node.WORKER).means("re-enqueues of a task nobody claims before it fails as undeliverable");
    public static final Setting<Duration> PENDING_SWEEP_INTERVAL_MS = Setting.millis("PENDING_SWEEP_INTERVAL_MS", 2000, 100, 600_000)
            .readBy(Node.API, Node.WORKER).means("how often the fleet looks for pending tasks nobody claims (one node at a time)");
    public static final Setting<Duration> IMAGE_TTL_SECONDS = Setting.seconds("IMAGE_TTL_SECONDS", 7200, 1, 30L * 24 * 3600)
            .readBy(Node.API, Node.WORKER).means("how long an avatar image stays in Redis unused; renewed while a task that "
                    + "uses it is active (keep it at least `TASK_RETENTION_SECONDS`, for a replay by hand)");

    public static final Setting<Duration> RETRY_BACKOFF_MS = Setting.millis("RETRY_BACKOFF_MS", 100, 10, 60_000)
            .readBy(Node.API, Node.WORKER).means("first wait before a step against Redis, Kafka or LiveKit is tried again; "
                    + "doubles with each try");
    public static final Setting<Duration> RETRY_MAX_BACKOFF_MS = Setting.millis("RETRY_MAX_BACKOFF_MS", 5000, 10, 300_000)
            .readBy(Node.API, Node.WORKER).means("longest wait between two tries of a step");
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.integer("RETRY_MAX_ATTEMPTS", 10, 1, 10_000)
            .readBy(Node.API, Node.WORKER).means("tries of a step that may give up (a session's `running`); a task's end, "
                    + "a hand-over and claiming are tried until they succeed");

    /** Every setting of this record, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(KAFKA_BOOTSTRAP_SERVERS, REDIS_URL, REDIS_KEY_PREFIX, TASK_TOPIC,
            TASK_TOPIC_PARTITIONS, WORKER_GROUP, TASK_RETENTION_SECONDS, MAX_TASK_HISTORY, HEARTBEAT_INTERVAL_MS,
            DEAD_WORKER_TIMEOUT_MS, TASK_MAX_ATTEMPTS, PRUNE_INTERVAL_SECONDS, REDIS_TIMEOUT_MS, KAFKA_TIMEOUT_MS,
            TASK_TOPIC_REPLICATION, TASK_TOPIC_MIN_INSYNC_REPLICAS, LAUNCH_RECORD_MAX_TTL_SECONDS, TASK_REENQUEUE_AFTER_MS,
            TASK_MAX_REENQUEUES, PENDING_SWEEP_INTERVAL_MS, IMAGE_TTL_SECONDS, RETRY_BACKOFF_MS, RETRY_MAX_BACKOFF_MS,
            RETRY_MAX_ATTEMPTS);

    /**
     * The launch topic's durability and the bounds on finding stranded tasks again.
     *
     * @param topicReplication {@link #TASK_TOPIC_REPLICATION}
     * @param topicMinInsyncReplicas {@link #TASK_TOPIC_MIN_INSYNC_REPLICAS}
     * @param launchMaxTtl {@link #LAUNCH_RECORD_MAX_TTL_SECONDS}
     * @param reenqueueAfter {@link #TASK_REENQUEUE_AFTER_MS}
     * @param maxReenqueues {@link #TASK_MAX_REENQUEUES}
     * @param sweepInterval {@link #PENDING_SWEEP_INTERVAL_MS}
     * @param imageTtl {@link #IMAGE_TTL_SECONDS}
     */
    public record Recovery(int topicReplication, int topicMinInsyncReplicas, Duration launchMaxTtl, Duration reenqueueAfter,
                           int maxReenqueues, Duration sweepInterval, Duration imageTtl) {

        public Recovery {
            if (topicMinInsyncReplicas > topicReplication) {
                throw new SettingsException(TASK_TOPIC_MIN_INSYNC_REPLICAS.name(), "must be at most " + TASK_TOPIC_REPLICATION.name()
                        + " (" + topicReplication + "), was " + topicMinInsyncReplicas);
            }
        }

        static Recovery fromEnvironment(Env env) {
            return new Recovery(env.get(TASK_TOPIC_REPLICATION), env.get(TASK_TOPIC_MIN_INSYNC_REPLICAS),
                    env.get(LAUNCH_RECORD_MAX_TTL_SECONDS), env.get(TASK_REENQUEUE_AFTER_MS), env.get(TASK_MAX_REENQUEUES),
                    env.get(PENDING_SWEEP_INTERVAL_MS), env.get(IMAGE_TTL_SECONDS));
        }
    }

    /**
     * How a step against Redis, Kafka or LiveKit is tried again: exponential back-off from {@code first} to {@code max}.
     *
     * @param first {@link #RETRY_BACKOFF_MS}
     * @param max {@link #RETRY_MAX_BACKOFF_MS}
     * @param maxAttempts {@link #RETRY_MAX_ATTEMPTS}
     */
    public record Backoff(Duration first, Duration max, int maxAttempts) {

        public Backoff {
            if (max.compareTo(first) < 0) {
                throw new SettingsException(RETRY_MAX_BACKOFF_MS.name(), "must be at least " + RETRY_BACKOFF_MS.name()
                        + " (" + first.toMillis() + " ms), was " + max.toMillis());
            }
        }

        static Backoff fromEnvironment(Env env) {
            return new Backoff(env.get(RETRY_BACKOFF_MS), env.get(RETRY_MAX_BACKOFF_MS), env.get(RETRY_MAX_ATTEMPTS));
        }
    }

    public FleetSettings {
        if (deadWorkerTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new SettingsException(DEAD_WORKER_TIMEOUT_MS.name(), "must be at least twice " + HEARTBEAT_INTERVAL_MS.name()
                    + " (" + heartbeatInterval.toMillis() + " ms), was " + deadWorkerTimeout.toMillis());
        }
    }

    public static FleetSettings fromEnvironment(Env env) {
        return new FleetSettings(
                env.get(KAFKA_BOOTSTRAP_SERVERS),
                env.get(REDIS_URL),
                env.get(REDIS_KEY_PREFIX),
                env.get(TASK_TOPIC),
                env.get(TASK_TOPIC_PARTITIONS),
                env.get(WORKER_GROUP),
                env.get(TASK_RETENTION_SECONDS),
                env.get(MAX_TASK_HISTORY),
                env.get(HEARTBEAT_INTERVAL_MS),
                env.get(DEAD_WORKER_TIMEOUT_MS),
                env.get(TASK_MAX_ATTEMPTS),
                env.get(PRUNE_INTERVAL_SECONDS),
                env.get(REDIS_TIMEOUT_MS),
                env.get(KAFKA_TIMEOUT_MS),
                Recovery.fromEnvironment(env),
                Backoff.fromEnvironment(env));
    }

    /** The defaults with Kafka and Redis elsewhere (tests, the local stack). */
    public static FleetSettings defaults(String kafkaBootstrapServers, String redisUrl) {
        return fromEnvironment(new Env(java.util.Map.of(KAFKA_BOOTSTRAP_SERVERS.name(), kafkaBootstrapServers, REDIS_URL.name(), redisUrl)));
    }

    public FleetSettings withKeyPrefix(String prefix) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, prefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, recovery, backoff);
    }

    public FleetSettings withTopic(String topic, String group) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, topic, taskTopicPartitions, group, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, recovery, backoff);
    }

    public FleetSettings withRetention(Duration retention, int maxHistory) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, retention,
                maxHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, recovery, backoff);
    }

    public FleetSettings withTiming(Duration heartbeat, Duration deadAfter) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeat, deadAfter, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, recovery, backoff);
    }

    /** The same fleet with Redis reached elsewhere (a proxy, another port) and another Redis timeout. */
    public FleetSettings withRedis(URI url, Duration timeout) {
        return new FleetSettings(kafkaBootstrapServers, url, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, timeout, kafkaTimeout, recovery, backoff);
    }

    /** The same fleet with Kafka reached elsewhere and another Kafka timeout. */
    public FleetSettings withKafka(String bootstrapServers, Duration timeout) {
        return new FleetSettings(bootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, timeout, recovery, backoff);
    }

    /** The same fleet with another back-off. */
    public FleetSettings withBackoff(Backoff other) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, recovery, other);
    }

    /** The same fleet with other recovery settings. */
    public FleetSettings withRecovery(Recovery other) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout, other, backoff);
    }

    /** why: settings printed anywhere (a log line, an exception's message) must not carry the Redis password */
    @Override
    public String toString() {
        return "FleetSettings[kafkaBootstrapServers=" + kafkaBootstrapServers + ", redisUrl=" + Redact.url(redisUrl)
                + ", keyPrefix=" + keyPrefix + ", taskTopic=" + taskTopic + ", taskTopicPartitions=" + taskTopicPartitions
                + ", workerGroup=" + workerGroup + ", taskRetention=" + taskRetention + ", maxTaskHistory=" + maxTaskHistory
                + ", heartbeatInterval=" + heartbeatInterval + ", deadWorkerTimeout=" + deadWorkerTimeout + ", taskMaxAttempts="
                + taskMaxAttempts + ", pruneInterval=" + pruneInterval + ", redisTimeout=" + redisTimeout + ", kafkaTimeout="
                + kafkaTimeout + "]";
    }
}
