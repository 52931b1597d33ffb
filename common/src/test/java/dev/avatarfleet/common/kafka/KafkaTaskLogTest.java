package dev.avatarfleet.common.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.TaskLogUnavailableException;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.LaunchSpecs;
import dev.avatarfleet.testkit.FreePorts;
import dev.avatarfleet.testkit.TestServers;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The launch topic against a real KRaft broker. */
class KafkaTaskLogTest {

    static FleetSettings settings(String hint) {
        String prefix = TestServers.uniquePrefix(hint);
        return FleetSettings.defaults(TestServers.kafka().bootstrapServers(), TestServers.redis().url())
                .withTopic(prefix + "launches", prefix + "workers");
    }

    static LaunchSpec spec(String taskId) {
        return LaunchSpecs.aLaunch(taskId).withAvatarId("av").build();
    }

    /** why: a share consumer is polled by one thread at a time; each poll already waits, so no pause between them */
    private static ConditionFactory polling(Duration atMost) {
        return await().atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    @Test
    void producesAndReadsBackByPosition() {
        FleetSettings s = settings("log");
        try (KafkaTaskLog log = new KafkaTaskLog(s)) {
            log.ensureTopic();
            log.ensureTopic(); // idempotent
            List<LogPosition> positions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                positions.add(log.append(spec("t" + i)));
            }
            for (int i = 4; i >= 0; i--) {
                LogPosition p = positions.get(i);
                assertEquals(spec("t" + i), log.readAt(p.partition(), p.offset()).orElseThrow());
            }
            assertTrue(log.readAt(positions.get(0).partition(), 10_000).isEmpty());
        }
    }

    @Test
    void aBrokerThatIsDownIsReportedNotHung() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next());
        env.put("KAFKA_TIMEOUT_MS", "800");
        FleetSettings s = FleetSettings.fromEnvironment(new Env(env));
        try (KafkaTaskLog log = new KafkaTaskLog(s)) {
            long t0 = System.nanoTime();
            TaskLogUnavailableException e = assertThrows(TaskLogUnavailableException.class, () -> log.append(spec("x")));
            assertTrue(e.getMessage().contains("kafka unavailable"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
        }
    }

    @Test
    void shareGroupMembersSplitRecordsAndARecordOfAClosedMemberGoesToTheOther() throws Exception {
        FleetSettings s = settings("share");
        try (KafkaTaskLog log = new KafkaTaskLog(s);
             LaunchConsumer a = new LaunchConsumer(s, "a", 1);
             LaunchConsumer b = new LaunchConsumer(s, "b", 1)) {
            log.ensureTopic();
            for (int i = 0; i < 6; i++) {
                log.append(spec("s" + i));
            }
            // a acquires one record and dies without acknowledging it
            List<LaunchDelivery> held = polling(Duration.ofSeconds(20)).until(() -> a.poll(Duration.ofMillis(200)), got -> !got.isEmpty());
            assertEquals(1, held.size(), "record_limit with max.poll.records=1 acquires one record");
            String lost = held.get(0).key();
            a.close();
            Set<String> seenByB = ConcurrentHashMap.newKeySet();
            Map<String, Integer> deliveries = new HashMap<>();
            polling(Duration.ofSeconds(30)).until(() -> {
                for (LaunchDelivery d : b.poll(Duration.ofMillis(200))) {
                    assertTrue(d.spec().isPresent());
                    seenByB.add(d.key());
                    deliveries.put(d.key(), d.deliveryCount());
                    b.accept(d);
                }
                return seenByB.size() == 6;
            });
            assertEquals(Set.of("s0", "s1", "s2", "s3", "s4", "s5"), seenByB);
            assertEquals(2, deliveries.get(lost), "the record a held came back as its second delivery");
        }
    }

    @Test
    void aShareMemberSaysWhenItHasJoined() {
        FleetSettings s = settings("joined");
        try (KafkaTaskLog log = new KafkaTaskLog(s);
             LaunchConsumer c = new LaunchConsumer(s, "j", 1)) {
            log.ensureTopic();
            log.warmUp();
            assertFalse(c.joined(), "no poll yet, so no join");
            polling(Duration.ofSeconds(20)).until(() -> {
                assertTrue(c.poll(Duration.ofMillis(100)).isEmpty(), "nothing was produced");
                return c.joined();
            });
            // and once joined, a new record arrives at the next polls
            log.append(spec("after-join"));
            List<LaunchDelivery> got = polling(Duration.ofSeconds(10)).until(() -> c.poll(Duration.ofMillis(100)), d -> !d.isEmpty());
            assertEquals("after-join", got.get(0).key());
            c.accept(got.get(0));
        }
    }

    /** Issue 14, defect 9: the topic gets the declared replication and {@code min.insync.replicas} at creation. */
    @Test
    void theTopicIsCreatedWithTheDeclaredReplicationAndMinInSyncReplicas() throws Exception {
        String prefix = TestServers.uniquePrefix("topicsettings");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestServers.kafka().bootstrapServers());
        env.put("TASK_TOPIC", prefix + "launches");
        env.put("WORKER_GROUP", prefix + "workers");
        env.put("TASK_TOPIC_REPLICATION", "1");
        env.put("TASK_TOPIC_MIN_INSYNC_REPLICAS", "1");
        try (KafkaTaskLog log = new KafkaTaskLog(FleetSettings.fromEnvironment(new Env(env)));
             org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                     Map.<String, Object>of("bootstrap.servers", TestServers.kafka().bootstrapServers()))) {
            log.ensureTopic();
            var topic = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                    prefix + "launches");
            var entry = admin.describeConfigs(List.of(topic)).all().get(10, java.util.concurrent.TimeUnit.SECONDS).get(topic)
                    .get("min.insync.replicas");
            assertEquals("1", entry.value());
            assertEquals(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(),
                    "set on the topic, not left to the broker's default");
            assertEquals(1, admin.describeTopics(List.of(prefix + "launches")).allTopicNames().get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .get(prefix + "launches").partitions().get(0).replicas().size());
        }
        // more replicas than the cluster has brokers: refused with a message that names the setting
        env.put("TASK_TOPIC", prefix + "launches-3");
        env.put("TASK_TOPIC_REPLICATION", "3");
        env.put("TASK_TOPIC_MIN_INSYNC_REPLICAS", "2");
        try (KafkaTaskLog log = new KafkaTaskLog(FleetSettings.fromEnvironment(new Env(env)))) {
            RuntimeException e = assertThrows(RuntimeException.class, log::ensureTopic);
            assertTrue(e.getMessage().contains("TASK_TOPIC_REPLICATION"), e.getMessage());
        }
    }
}
