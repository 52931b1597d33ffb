package dev.avatarfleet.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void seedNamesKeepTheirDefaults() {
        FleetSettings f = FleetSettings.fromEnvironment(new Env(Map.of()));
        WorkerSettings w = WorkerSettings.fromEnvironment(new Env(Map.of()));
        assertEquals(8, w.maxSessions());
        assertEquals(Duration.ofSeconds(600), w.sessionIdleTimeout());
        assertTrue(w.autoPrewarm());
        assertEquals(8090, w.port());
        assertEquals(Duration.ofSeconds(3600), f.taskRetention());
        assertEquals(1000, f.maxTaskHistory());
        assertEquals("127.0.0.1:9092", f.kafkaBootstrapServers());
        assertEquals("redis://127.0.0.1:6379", f.redisUrl().toString());
        assertEquals("http://127.0.0.1:8090", w.workerUrl().toString());
    }

    @Test
    void aBadValueNamesItsVariable() {
        assertEquals("MAX_SESSIONS", assertThrows(SettingsException.class,
                () -> WorkerSettings.fromEnvironment(new Env(Map.of("MAX_SESSIONS", "eight")))).variable());
        assertEquals("MAX_SESSIONS", assertThrows(SettingsException.class,
                () -> WorkerSettings.fromEnvironment(new Env(Map.of("MAX_SESSIONS", "0")))).variable());
        assertEquals("AUTO_PREWARM", assertThrows(SettingsException.class,
                () -> WorkerSettings.fromEnvironment(new Env(Map.of("AUTO_PREWARM", "maybe")))).variable());
        assertEquals("REDIS_URL", assertThrows(SettingsException.class,
                () -> FleetSettings.fromEnvironment(new Env(Map.of("REDIS_URL", "http://x:1")))).variable());
        assertEquals("KAFKA_BOOTSTRAP_SERVERS", assertThrows(SettingsException.class,
                () -> FleetSettings.fromEnvironment(new Env(Map.of("KAFKA_BOOTSTRAP_SERVERS", "host-without-port")))).variable());
        assertEquals("DEAD_WORKER_TIMEOUT_MS", assertThrows(SettingsException.class,
                () -> FleetSettings.fromEnvironment(new Env(Map.of("HEARTBEAT_INTERVAL_MS", "1000", "DEAD_WORKER_TIMEOUT_MS", "1500")))).variable());
        assertTrue(assertThrows(SettingsException.class,
                () -> FleetSettings.fromEnvironment(new Env(Map.of("TASK_RETENTION_SECONDS", "-1")))).getMessage().contains("TASK_RETENTION_SECONDS"));
    }

    @Test
    void fleetSettingsPrintedShowNoRedisPassword() {
        FleetSettings s = FleetSettings.fromEnvironment(new Env(Map.of("REDIS_URL", "redis://app:hunter2-pw@cache:6380/1")));
        assertTrue(s.redisUrl().toString().contains("hunter2-pw"), "the node still connects with it");
        assertTrue(!s.toString().contains("hunter2-pw") && s.toString().contains("redis://***@cache:6380/1"), s.toString());
    }
}
