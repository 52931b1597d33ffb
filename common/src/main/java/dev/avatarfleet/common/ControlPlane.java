package dev.avatarfleet.common;

import java.time.Clock;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.common.store.RedisGateway;
import dev.avatarfleet.common.store.RedisTaskStore;

/**
 * Everything a node needs of the fleet's shared state, connected from one {@link FleetSettings}:
 * the task store, the worker registry and the image store (Redis), and the launch topic (Kafka).
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.connect(FleetSettings.fromEnvironment(Env.system()), Clock.systemUTC())) {
 *     cp.taskLog().ensureTopic();
 *     Admission a = cp.store().admit(new NewTask(room, identity, avatarId, imageHash, List.of()));
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

    private final FleetSettings settings;
    private final RedisGateway redis;
    private final RedisTaskStore store;
    private final FleetRegistry registry;
    private final ImageStore images;
    private final KafkaTaskLog taskLog;

    private ControlPlane(FleetSettings settings, RedisGateway redis, Clock clock) {
        this.settings = settings;
        this.redis = redis;
        this.store = new RedisTaskStore(redis, settings, clock);
        this.registry = new FleetRegistry(redis, settings, clock);
        this.images = new ImageStore(redis, settings);
        this.taskLog = new KafkaTaskLog(settings);
    }

    /** Connects lazily: no call reaches Redis or Kafka until the first operation. */
    public static ControlPlane connect(FleetSettings settings, Clock clock) {
        return new ControlPlane(settings, RedisGateway.connect(settings.redisUrl(), settings.redisTimeout()), clock);
    }

    public FleetSettings settings() {
        return settings;
    }

    public RedisGateway redis() {
        return redis;
    }

    public RedisTaskStore store() {
        return store;
    }

    public FleetRegistry registry() {
        return registry;
    }

    public ImageStore images() {
        return images;
    }

    public KafkaTaskLog taskLog() {
        return taskLog;
    }

    @Override
    public void close() {
        taskLog.close();
        redis.close();
    }
}
