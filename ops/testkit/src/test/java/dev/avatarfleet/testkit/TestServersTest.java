package dev.avatarfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class TestServersTest {

    @Test
    void brokerAcceptsAndServesARecord() throws Exception {
        String bootstrap = TestServers.kafka().bootstrapServers();
        String topic = TestServers.uniquePrefix("kit") + "topic";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(10));
            assertEquals("hello", records.iterator().next().value());
        }
    }

    @Test
    void redisAnswersAndStopsByPid() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            assertNotEquals(TestServers.redis().port(), own.port());
            try (RedisClient client = RedisClient.create("127.0.0.1", own.port())) {
                client.set("a", "b");
                assertEquals("b", client.get("a"));
            }
            own.close();
            assertFalse(RedisServerProcess.answersPing(own.port()));
        }
        assertTrue(RedisServerProcess.answersPing(TestServers.redis().port()));
    }
}
