package dev.avatarfleet.common.store;

import dev.avatarfleet.common.config.FleetSettings;
import java.time.Clock;

/**
 * The fleet's state in Redis over one connection pool: the task store, the worker registry and the image
 * store. why: the {@link RedisGateway} stays inside this package; nodes reach Redis only through these.
 */
public final class RedisState implements AutoCloseable {

    private final RedisGateway redis;
    private final RedisTaskStore store;
    private final FleetRegistry registry;
    private final ImageStore images;
    private final String prefix;

    private RedisState(RedisGateway redis, FleetSettings settings, Clock clock) {
        this.redis = redis;
        this.prefix = settings.keyPrefix();
        this.store = new RedisTaskStore(redis, settings, clock);
        this.registry = new FleetRegistry(redis, settings, clock);
        this.images = new ImageStore(redis, settings);
    }

    /** Connects lazily: no call reaches Redis until the first operation. */
    public static RedisState connect(FleetSettings settings, Clock clock) {
        return new RedisState(RedisGateway.connect(settings.redisUrl(), settings.redisTimeout()), settings, clock);
    }

    /** The gateway itself, for this package's tests. */
    RedisGateway gateway() {
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

    /** The lease {@code name}, asked for by {@code holder} (a node's own id), held {@code ttl} without renewal. */
    public FleetLease lease(String name, String holder, java.time.Duration ttl) {
        return new FleetLease(redis, prefix, name, holder, ttl);
    }

    @Override
    public void close() {
        redis.close();
    }
}
