package dev.avatarfleet.common.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.StoreUnavailableException;
import dev.avatarfleet.testkit.RedisServerProcess;
import org.junit.jupiter.api.Test;

/** Redis going away is reported as a domain exception with a reason, promptly, never a hang. */
class RedisOutageTest {

    @Test
    void aStoppedRedisIsReportedAsUnavailableWithinTheTimeout() {
        RedisServerProcess own = RedisServerProcess.start();
        FleetSettings s = FleetSettings.fromEnvironment(new Env(Map.of("REDIS_URL", own.url(), "REDIS_TIMEOUT_MS", "500")));
        try (RedisGateway redis = RedisGateway.connect(s.redisUrl(), s.redisTimeout())) {
            RedisTaskStore store = new RedisTaskStore(redis, s, Clock.systemUTC());
            FleetRegistry registry = new FleetRegistry(redis, s, Clock.systemUTC());
            registry.heartbeat(WorkerStates.aReadyWorker("w").build());
            store.admit(NewTasks.aNewTask("r").build());
            own.close();
            for (int i = 0; i < 15; i++) {
                long t0 = System.nanoTime();
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> store.admit(NewTasks.aNewTask("r2").build()));
                assertTrue(e.getMessage().startsWith("redis unavailable at 127.0.0.1:" + own.port()), e.getMessage());
                assertTrue(e.getMessage().contains("admitting a launch for room r2"), e.getMessage());
                assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5, "answered promptly");
            }
            // after repeated failures the breaker answers without waiting for Redis
            assertTrue(assertThrows(StoreUnavailableException.class, registry::totals).getMessage().contains("circuit open"));
        } finally {
            own.close();
        }
    }
}
