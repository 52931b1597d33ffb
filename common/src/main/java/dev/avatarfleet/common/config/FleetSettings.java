package dev.avatarfleet.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * The settings API and worker nodes share: where Kafka and Redis are, the launch topic, task
 * retention and the fleet's timing. Read once at start with {@link #fromEnvironment(Env)}.
 *
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, default {@value #DEFAULT_KAFKA}
 * @param redisUrl              {@code REDIS_URL}, default {@value #DEFAULT_REDIS}
 * @param keyPrefix             {@code REDIS_KEY_PREFIX}: every Redis key starts with it, default {@code avatarfleet:}
 * @param taskTopic             {@code TASK_TOPIC}: the launch topic, default {@code avatar-launches}
 * @param taskTopicPartitions   {@code TASK_TOPIC_PARTITIONS}, used when the topic is created, default 1 (a share group needs no partitions to spread work; one partition keeps acquisition to exactly one record per poll)
 * @param workerGroup           {@code WORKER_GROUP}: the workers' share group, default {@code avatar-workers}
 * @param taskRetention         {@code TASK_RETENTION_SECONDS}: terminal records are kept this long, default 3600
 * @param maxTaskHistory        {@code MAX_TASK_HISTORY}: at most this many terminal records, default 1000
 * @param heartbeatInterval     {@code HEARTBEAT_INTERVAL_MS}: worker heartbeat period, default 1000
 * @param deadWorkerTimeout     {@code DEAD_WORKER_TIMEOUT_MS}: no heartbeat for this long = dead, default 5000
 * @param taskMaxAttempts       {@code TASK_MAX_ATTEMPTS}: runs per task, replays included, default 3
 * @param pruneInterval         {@code PRUNE_INTERVAL_SECONDS}: how often retention is swept, default 300
 * @param redisTimeout          {@code REDIS_TIMEOUT_MS}: connect and socket timeout, default 2000
 * @param kafkaTimeout          {@code KAFKA_TIMEOUT_MS}: bound on a produce or an admin call, default 5000
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

    public FleetSettings {
        if (deadWorkerTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new SettingsException("DEAD_WORKER_TIMEOUT_MS",
                    "must be at least twice HEARTBEAT_INTERVAL_MS (" + heartbeatInterval.toMillis() + " ms), was " + deadWorkerTimeout.toMillis());
        }
    }

    public static FleetSettings fromEnvironment(Env env) {
        return new FleetSettings(
                env.hostPorts("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
                env.url("REDIS_URL", DEFAULT_REDIS, Set.of("redis", "rediss")),
                env.name("REDIS_KEY_PREFIX", "avatarfleet:", 64),
                env.name("TASK_TOPIC", "avatar-launches", 200),
                env.integer("TASK_TOPIC_PARTITIONS", 1, 1, 1000),
                env.name("WORKER_GROUP", "avatar-workers", 200),
                env.seconds("TASK_RETENTION_SECONDS", 3600, 1, 30L * 24 * 3600),
                env.integer("MAX_TASK_HISTORY", 1000, 0, 1_000_000),
                env.millis("HEARTBEAT_INTERVAL_MS", 1000, 100, 60_000),
                env.millis("DEAD_WORKER_TIMEOUT_MS", 5000, 200, 600_000),
                env.integer("TASK_MAX_ATTEMPTS", 3, 1, 100),
                env.seconds("PRUNE_INTERVAL_SECONDS", 300, 1, 86_400),
                env.millis("REDIS_TIMEOUT_MS", 2000, 50, 60_000),
                env.millis("KAFKA_TIMEOUT_MS", 5000, 100, 120_000));
    }

    /** The defaults with Kafka and Redis elsewhere (tests, the local stack). */
    public static FleetSettings defaults(String kafkaBootstrapServers, String redisUrl) {
        return fromEnvironment(new Env(java.util.Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers, "REDIS_URL", redisUrl)));
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
}
