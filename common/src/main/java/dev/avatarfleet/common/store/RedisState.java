package dev.avatarfleet.common.store;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.secret.LaunchRecordKey;
import dev.avatarfleet.common.secret.LaunchRecordKeys;
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
    private final FleetSecrets secrets;
    private final ApiKeyStore apiKeys;
    private final LaunchRateLimits rateLimits;
    private final LaunchRecordKeys.Source recordKey;
    private final String prefix;

    private RedisState(RedisGateway redis, FleetSettings settings, Clock clock) {
        this.redis = redis;
        this.prefix = settings.keyPrefix();
        this.store = new RedisTaskStore(redis, settings, clock);
        this.registry = new FleetRegistry(redis, settings, clock);
        this.images = new ImageStore(redis, settings);
        this.secrets = new FleetSecrets(redis, settings.keyPrefix());
        this.apiKeys = new ApiKeyStore(redis, settings.keyPrefix());
        this.rateLimits = new LaunchRateLimits(redis, settings.keyPrefix());
        // why: without LAUNCH_RECORD_KEY, launch records are sealed under the fleet's key drawn into this Redis
        this.recordKey = LaunchRecordKeys.process().addSource(() -> secrets.getOrCreate("launch-record-key", LaunchRecordKey.BYTES));
    }

    /** Connects lazily: no call reaches Redis until the first operation. */
    public static RedisState connect(FleetSettings settings, Clock clock) {
        return new RedisState(RedisGateway.connect(settings.redisUrl(), settings.redisTimeout()), settings, clock);
    }

    /** The gateway itself, for this package's tests. */
    RedisGateway gateway() {
        return redis;
    }

    /** The breaker every Redis call runs through: its failed and refused calls are the Redis errors. */
    public io.github.resilience4j.circuitbreaker.CircuitBreaker breaker() {
        return redis.breaker();
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

    /** Secrets drawn once for the whole fleet when none is configured. */
    public FleetSecrets secrets() {
        return secrets;
    }

    /** The API keys kept in Redis (hashed). */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** The fleet-wide launch rate buckets. */
    public LaunchRateLimits rateLimits() {
        return rateLimits;
    }

    /** The lease {@code name}, asked for by {@code holder} (a node's own id), held {@code ttl} without renewal. */
    public FleetLease lease(String name, String holder, java.time.Duration ttl) {
        return new FleetLease(redis, prefix, name, holder, ttl);
    }

    @Override
    public void close() {
        recordKey.close();
        redis.close();
    }
}
