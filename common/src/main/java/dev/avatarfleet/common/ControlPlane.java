package dev.avatarfleet.common;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fleet.LaunchRequeue;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.ApiKeyStore;
import dev.avatarfleet.common.store.FleetLease;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.FleetSecrets;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.LaunchRateLimits;
import dev.avatarfleet.common.store.RedisState;
import dev.avatarfleet.common.store.RedisTaskStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Everything a node needs of the fleet's shared state, connected from one {@link FleetSettings}:
 * the task store, the worker registry and the image store (Redis), and the launch topic (Kafka).
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.connect(FleetSettings.fromEnvironment(Env.system()), Clock.systemUTC())) {
 *     cp.taskLog().ensureTopic();
 *     Admission a = cp.store().admit(newTask);
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

    private final FleetSettings settings;
    private final RedisState redis;
    private final KafkaTaskLog taskLog;
    private final LaunchRequeue requeue;

    private ControlPlane(FleetSettings settings, RedisState redis) {
        this.settings = settings;
        this.redis = redis;
        this.taskLog = new KafkaTaskLog(settings);
        this.requeue = new LaunchRequeue(redis.store(), taskLog, redis.images());
    }

    /** Connects lazily: no call reaches Redis or Kafka until the first operation. */
    public static ControlPlane connect(FleetSettings settings, Clock clock) {
        return new ControlPlane(settings, RedisState.connect(settings, clock));
    }

    public FleetSettings settings() {
        return settings;
    }

    public RedisTaskStore store() {
        return redis.store();
    }

    public FleetRegistry registry() {
        return redis.registry();
    }

    public ImageStore images() {
        return redis.images();
    }

    public KafkaTaskLog taskLog() {
        return taskLog;
    }

    /**
     * The circuit breakers every Redis and Kafka call runs through, by dependency ({@code redis}, {@code kafka}):
     * what a node's metrics count as dependency errors.
     */
    public Map<String, CircuitBreaker> breakers() {
        return Map.of("redis", redis.breaker(), "kafka", taskLog.breaker());
    }

    /** Secrets drawn once for the fleet when none is configured (fingerprint salt, launch record key). */
    public FleetSecrets secrets() {
        return redis.secrets();
    }

    /** The API keys kept in Redis. */
    public ApiKeyStore apiKeys() {
        return redis.apiKeys();
    }

    /** The fleet-wide launch rate buckets. */
    public LaunchRateLimits rateLimits() {
        return redis.rateLimits();
    }

    /** Enqueues a task that is pending again as its next attempt (from its Kafka record or its kept launch). */
    public LaunchRequeue requeue() {
        return requeue;
    }

    /** The lease {@code name} as {@code holder} (this node's id) asks for it, held {@code ttl} without renewal. */
    public FleetLease lease(String name, String holder, Duration ttl) {
        return redis.lease(name, holder, ttl);
    }

    @Override
    public void close() {
        taskLog.close();
        redis.close();
    }
}
