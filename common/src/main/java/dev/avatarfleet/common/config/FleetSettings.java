package dev.avatarfleet.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The settings API and worker nodes share: where Kafka and Redis are, the launch topic, task
 * retention and the fleet's timing. Read once at start with {@link #fromEnvironment(Env)}; each
 * setting is declared once, below, as a {@link Setting}.
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
        Duration kafkaTimeout) {

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
    public static final Setting<Duration> HEARTBEAT_INTERVAL_MS = Setting.millis("HEARTBEAT_INTERVAL_MS", 1000, 100, 60_000)
            .readBy(Node.API, Node.WORKER).means("worker heartbeat period");
    public static final Setting<Duration> DEAD_WORKER_TIMEOUT_MS = Setting.millis("DEAD_WORKER_TIMEOUT_MS", 5000, 200, 600_000)
            .readBy(Node.API, Node.WORKER).means("no heartbeat for this long = dead worker (at least twice the interval)");
    public static final Setting<Integer> TASK_MAX_ATTEMPTS = Setting.integer("TASK_MAX_ATTEMPTS", 3, 1, 100)
            .readBy(Node.API, Node.WORKER).means("runs per task, replays included");
    public static final Setting<Duration> PRUNE_INTERVAL_SECONDS = Setting.seconds("PRUNE_INTERVAL_SECONDS", 300, 1, 86_400)
            .readBy(Node.API, Node.WORKER).means("how often retention is swept");
    public static final Setting<Duration> REDIS_TIMEOUT_MS = Setting.millis("REDIS_TIMEOUT_MS", 2000, 50, 60_000)
            .readBy(Node.API, Node.WORKER).means("Redis connect and socket timeout");
    public static final Setting<Duration> KAFKA_TIMEOUT_MS = Setting.millis("KAFKA_TIMEOUT_MS", 5000, 100, 120_000)
            .readBy(Node.API, Node.WORKER).means("bound on a produce or an admin call");

    /** Every setting of this record, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(KAFKA_BOOTSTRAP_SERVERS, REDIS_URL, REDIS_KEY_PREFIX, TASK_TOPIC,
            TASK_TOPIC_PARTITIONS, WORKER_GROUP, TASK_RETENTION_SECONDS, MAX_TASK_HISTORY, HEARTBEAT_INTERVAL_MS,
            DEAD_WORKER_TIMEOUT_MS, TASK_MAX_ATTEMPTS, PRUNE_INTERVAL_SECONDS, REDIS_TIMEOUT_MS, KAFKA_TIMEOUT_MS);

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
                env.get(KAFKA_TIMEOUT_MS));
    }

    /** The defaults with Kafka and Redis elsewhere (tests, the local stack). */
    public static FleetSettings defaults(String kafkaBootstrapServers, String redisUrl) {
        return fromEnvironment(new Env(java.util.Map.of(KAFKA_BOOTSTRAP_SERVERS.name(), kafkaBootstrapServers, REDIS_URL.name(), redisUrl)));
    }

    public FleetSettings withKeyPrefix(String prefix) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, prefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout);
    }

    public FleetSettings withTopic(String topic, String group) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, topic, taskTopicPartitions, group, taskRetention,
                maxTaskHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout);
    }

    public FleetSettings withRetention(Duration retention, int maxHistory) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, retention,
                maxHistory, heartbeatInterval, deadWorkerTimeout, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout);
    }

    public FleetSettings withTiming(Duration heartbeat, Duration deadAfter) {
        return new FleetSettings(kafkaBootstrapServers, redisUrl, keyPrefix, taskTopic, taskTopicPartitions, workerGroup, taskRetention,
                maxTaskHistory, heartbeat, deadAfter, taskMaxAttempts, pruneInterval, redisTimeout, kafkaTimeout);
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
