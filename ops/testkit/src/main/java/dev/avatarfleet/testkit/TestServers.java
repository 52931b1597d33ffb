package dev.avatarfleet.testkit;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Kafka broker and one redis-server per test JVM, started on first use and stopped by a
 * shutdown hook. Tests keep apart by naming everything with {@link #uniquePrefix(String)}.
 */
public final class TestServers {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static KafkaBroker kafka;
    private static RedisServerProcess redis;

    private TestServers() {
    }

    /** The JVM's shared broker. */
    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            KafkaBroker started = KafkaBroker.startForTests();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-stop"));
            kafka = started;
        }
        return kafka;
    }

    /** The JVM's shared redis-server. */
    public static synchronized RedisServerProcess redis() {
        if (redis == null) {
            RedisServerProcess started = RedisServerProcess.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-redis-stop"));
            redis = started;
        }
        return redis;
    }

    /**
     * A name no other test in this JVM (or an earlier run against the same servers) uses, e.g.
     * {@code t7-3f9a1c-} for topics, groups and Redis key prefixes; only [a-z0-9-] characters.
     */
    public static String uniquePrefix(String hint) {
        String clean = hint.toLowerCase().replaceAll("[^a-z0-9]", "");
        if (clean.length() > 20) {
            clean = clean.substring(0, 20);
        }
        return clean + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    }

    /**
     * The environment of a fleet of its own on this JVM's broker and redis-server: connection settings,
     * and a key prefix, launch topic and share group named after {@code prefix}. Mutable, so a test adds
     * its own settings (ports, MAX_SESSIONS, timings) before building nodes from it.
     */
    public static java.util.Map<String, String> fleetEnvironment(String prefix) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers());
        env.put("REDIS_URL", redis().url());
        env.put("REDIS_KEY_PREFIX", prefix);
        env.put("TASK_TOPIC", prefix + "launches");
        env.put("WORKER_GROUP", prefix + "workers");
        return env;
    }
}
