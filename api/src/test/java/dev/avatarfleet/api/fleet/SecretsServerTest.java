package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.task.TaskRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The secrets of a launch (its LiveKit token, the API key, the billing secret) on a real API node, Redis and Kafka:
 * none is in the launch topic's raw bytes, in {@code /tasks}, or in any log line; the worker still reads the token.
 */
class SecretsServerTest {

    @Test
    void noTokenNorKeyIsReadableInTheTopicTheTaskListOrTheLog() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        List<String> secrets = new ArrayList<>(List.of("the-fleets-billing-secret"));
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            String key = fleet.createKey("secretive", false);
            ApiNode node = fleet.node(Map.of("BITHUMAN_API_SECRET", "the-fleets-billing-secret"));
            String token = TestTokens.avatar("secret-room", "avatar");
            String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token
                    + "\",\"room_name\":\"secret-room\",\"mode\":\"gpu\"}";
            HttpResponse<String> launched = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                    .header("Content-Type", "application/json").header("api-secret", key)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(200, launched.statusCode(), launched.body());
            String taskId = JsonReply.MAPPER.readTree(launched.body()).get("task_id").asText();
            // a refused launch and a refused key leave nothing readable either
            assertEquals(401, fleet.get(node, "/tasks", key + "-wrong").statusCode());

            secrets.addAll(List.of(token, key, key.substring(17)));
            secrets.addAll(List.of(token.split("\\.")));

            // the launch topic's raw bytes, keys and values, read as any consumer with access to Kafka reads them
            byte[] topic = rawTopic(fleet.settings.kafkaBootstrapServers(), fleet.settings.taskTopic());
            String topicText = new String(topic, StandardCharsets.ISO_8859_1);
            assertTrue(topicText.contains(taskId), "the record is there");
            for (String s : secrets) {
                assertFalse(topicText.contains(s), "readable in the launch topic: " + s.substring(0, Math.min(8, s.length())) + "...");
            }
            // a worker opens it: the token is there, sealed
            TaskRecord task = fleet.controlPlane.store().get(taskId).orElseThrow();
            assertEquals(token, fleet.controlPlane.taskLog().readAt(task.kafkaPartition(), task.kafkaOffset()).orElseThrow().livekitToken());

            // the task list and the task never carry a token or a secret
            for (String path : List.of("/tasks", "/tasks/" + taskId)) {
                String body = fleet.get(node, path, key).body();
                assertTrue(body.contains(taskId), body);
                for (String s : secrets) {
                    assertFalse(body.contains(s), path + " shows a secret");
                }
                assertFalse(body.contains("livekit_token"), body);
            }
            JsonNode shown = JsonReply.MAPPER.readTree(fleet.get(node, "/tasks/" + taskId, key).body());
            assertTrue(shown.get("billing_key_id").asText().matches("[0-9a-f]{16}"), shown.toString());
        } finally {
            root.detachAppender(logged);
        }
        StringBuilder everything = new StringBuilder();
        for (ILoggingEvent e : logged.list) {
            everything.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                everything.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        assertFalse(logged.list.isEmpty(), "the node logged nothing: the capture is broken");
        String log = everything.toString();
        for (String s : secrets) {
            assertFalse(log.contains(s), "a secret in the log: " + s.substring(0, Math.min(8, s.length())) + "...");
        }
        assertFalse(log.contains("\"livekit_token\""), "a launch body in the log");
        assertFalse(log.contains("afk_"), "an API key in the log");
    }

    /** Every record of the topic, keys and values as raw bytes. */
    static byte[] rawTopic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    all.writeBytes(r.key() == null ? new byte[0] : r.key());
                    all.writeBytes(r.value());
                }
            }
            assertEquals(end, consumer.position(partition), "the topic was not read to its end");
        }
        return all.toByteArray();
    }
}
