package dev.avatarfleet.common.store;

import java.time.Duration;
import java.time.Instant;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.testkit.MutableClock;
import dev.avatarfleet.testkit.TestServers;

/**
 * A task store, registry and image store on the JVM's shared redis-server, under a fresh key prefix. Every time in
 * Redis is Redis's own; the node clock here (fixed, months away from the real time) is only the node's.
 */
public final class StoreFixture implements AutoCloseable {

    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    public final FleetSettings settings;
    private final RedisState state;
    /** The raw gateway, for this package's tests only. */
    final RedisGateway redis;
    public final RedisTaskStore store;
    public final FleetRegistry registry;
    public final ImageStore images;

    public StoreFixture(Duration retention, int maxHistory) {
        this(retention, maxHistory, Duration.ofMillis(1000), Duration.ofMillis(5000));
    }

    /** With this heartbeat interval and dead-worker timeout (short ones let a test see a worker die). */
    public StoreFixture(Duration retention, int maxHistory, Duration heartbeat, Duration deadAfter) {
        settings = FleetSettings.defaults("127.0.0.1:9", TestServers.redis().url())
                .withKeyPrefix(TestServers.uniquePrefix("store"))
                .withRetention(retention, maxHistory)
                .withTiming(heartbeat, deadAfter);
        state = RedisState.connect(settings, clock);
        redis = state.gateway();
        store = state.store();
        registry = state.registry();
        images = state.images();
    }

    public StoreFixture() {
        this(Duration.ofHours(1), 1000);
    }

    /** Default retention, a worker dead after {@code deadAfter} without a heartbeat. */
    public static StoreFixture withDeadAfter(Duration deadAfter) {
        return new StoreFixture(Duration.ofHours(1), 1000, deadAfter.dividedBy(2), deadAfter);
    }

    /** The lease {@code name} as {@code holder} asks for it. */
    public FleetLease lease(String name, String holder, Duration ttl) {
        return state.lease(name, holder, ttl);
    }

    /** Registers a live worker with its model loaded. */
    public void readyWorker(String id, int maxSessions) {
        registry.heartbeat(WorkerStates.aReadyWorker(id).withSlots(maxSessions).build());
    }

    @Override
    public void close() {
        state.close();
    }
}
