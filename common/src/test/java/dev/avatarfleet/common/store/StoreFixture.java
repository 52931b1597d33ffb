package dev.avatarfleet.common.store;

import java.time.Duration;
import java.time.Instant;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.testkit.MutableClock;
import dev.avatarfleet.testkit.TestServers;

/** A task store, registry and image store on the JVM's shared redis-server, under a fresh key prefix, with a clock moved by hand. */
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
        settings = FleetSettings.defaults("127.0.0.1:9", TestServers.redis().url())
                .withKeyPrefix(TestServers.uniquePrefix("store"))
                .withRetention(retention, maxHistory);
        state = RedisState.connect(settings, clock);
        redis = state.gateway();
        store = state.store();
        registry = state.registry();
        images = state.images();
    }

    public StoreFixture() {
        this(Duration.ofHours(1), 1000);
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
