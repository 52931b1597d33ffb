package dev.avatarfleet.common.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.testkit.TestServers;

/** A task store, registry and image store on the JVM's shared redis-server, under a fresh key prefix, with a settable clock. */
final class StoreFixture implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    final FleetSettings settings;
    final RedisGateway redis;
    final RedisTaskStore store;
    final FleetRegistry registry;
    final ImageStore images;

    StoreFixture(Duration retention, int maxHistory) {
        settings = FleetSettings.defaults("127.0.0.1:9", TestServers.redis().url())
                .withKeyPrefix(TestServers.uniquePrefix("store"))
                .withRetention(retention, maxHistory);
        redis = RedisGateway.connect(settings.redisUrl(), settings.redisTimeout());
        store = new RedisTaskStore(redis, settings, clock);
        registry = new FleetRegistry(redis, settings, clock);
        images = new ImageStore(redis, settings);
    }

    StoreFixture() {
        this(Duration.ofHours(1), 1000);
    }

    /** Registers a live worker with its model loaded. */
    void readyWorker(String id, int maxSessions) {
        registry.heartbeat(new WorkerState(id, "http://127.0.0.1:1", maxSessions, 0, true, false, false, null));
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
