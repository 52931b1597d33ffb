package dev.avatarfleet.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.TaskLogUnavailableException;
import dev.avatarfleet.common.task.LaunchSpec;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The launch topic: an idempotent producer ({@code acks=all}) of launch records keyed by task id,
 * topic and share-group set-up, and {@link #readAt} to read a record back by its position (replay).
 * Every call is bounded by {@code KAFKA_TIMEOUT_MS}; failures become {@link TaskLogUnavailableException}.
 */
public final class KafkaTaskLog implements AutoCloseable {

    private final FleetSettings settings;
    private final KafkaProducer<String, String> producer;
    private final CircuitBreaker breaker;
    private final Duration timeout;

    public KafkaTaskLog(FleetSettings settings) {
        this.settings = settings;
        this.timeout = settings.kafkaTimeout();
        long requestTimeout = Math.max(1000, timeout.toMillis() / 2);
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.kafkaBootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        p.put("max.block.ms", Long.toString(timeout.toMillis()));
        p.put("request.timeout.ms", Long.toString(requestTimeout));
        p.put("delivery.timeout.ms", Long.toString(Math.max(timeout.toMillis(), requestTimeout)));
        p.put("client.id", "avatarfleet-launch-producer-" + UUID.randomUUID().toString().substring(0, 8));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.breaker = CircuitBreaker.of("kafka", CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .recordExceptions(TaskLogUnavailableException.class)
                .build());
    }

    /**
     * Creates the launch topic if missing, with {@code TASK_TOPIC_REPLICATION} replicas and
     * {@code min.insync.replicas} = {@code TASK_TOPIC_MIN_INSYNC_REPLICAS}, and sets the workers' share group to start
     * from the earliest record (so launches produced before the first worker joined are not skipped). A topic that
     * exists is left as it is.
     */
    public void ensureTopic() {
        FleetSettings.Recovery r = settings.recovery();
        call("creating topic " + settings.taskTopic(), () -> {
            try (Admin admin = Admin.create(adminProps())) {
                try {
                    NewTopic topic = new NewTopic(settings.taskTopic(), settings.taskTopicPartitions(), (short) r.topicReplication())
                            .configs(Map.of("min.insync.replicas", Integer.toString(r.topicMinInsyncReplicas())));
                    admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof InvalidReplicationFactorException bad) {
                        // why: a setting the cluster cannot honour is the operator's to fix, not an outage to retry
                        throw new IllegalStateException(FleetSettings.TASK_TOPIC_REPLICATION.name() + "=" + r.topicReplication()
                                + " cannot be honoured by the brokers at " + settings.kafkaBootstrapServers() + ": " + bad.getMessage(), bad);
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.GROUP, settings.workerGroup()),
                        List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                        .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            }
        });
    }

    /**
     * Fetches the launch topic's partitions and their leaders into the producer (at a node's start), so the
     * first launch's produce does not wait for a metadata round trip and a new connection first.
     */
    public void warmUp() {
        call("reading the metadata of topic " + settings.taskTopic(), () -> producer.partitionsFor(settings.taskTopic()));
    }

    /** Produces the launch record and returns where it landed, once the broker has it durably. */
    public LogPosition append(LaunchSpec spec) {
        return call("producing the launch record of task " + spec.taskId(), () -> {
            RecordMetadata md = producer.send(new ProducerRecord<>(settings.taskTopic(), spec.taskId(), LaunchRecords.encode(spec)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new LogPosition(md.partition(), md.offset());
        });
    }

    /** Reads the launch record at this position back (empty if it is gone or not a launch record). */
    public Optional<LaunchSpec> readAt(int partition, long offset) {
        return call("reading the launch record at " + settings.taskTopic() + "-" + partition + "@" + offset, () -> {
            Properties p = new Properties();
            p.put("bootstrap.servers", settings.kafkaBootstrapServers());
            p.put("enable.auto.commit", "false");
            p.put("max.poll.records", "1");
            p.put("request.timeout.ms", Long.toString(Math.max(1000, timeout.toMillis() / 2)));
            p.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition(settings.taskTopic(), partition);
                consumer.assign(Set.of(tp));
                long begin = consumer.beginningOffsets(Set.of(tp)).get(tp);
                long end = consumer.endOffsets(Set.of(tp)).get(tp);
                if (offset < begin || offset >= end) {
                    return Optional.<LaunchSpec>empty();
                }
                consumer.seek(tp, offset);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() == offset) {
                            return LaunchRecords.decode(r.value());
                        }
                        if (r.offset() > offset) {
                            return Optional.<LaunchSpec>empty();
                        }
                    }
                    if (consumer.position(tp) > offset) {
                        return Optional.<LaunchSpec>empty();
                    }
                }
                throw new TimeoutException("no record at offset " + offset + " within " + timeout);
            }
        });
    }

    /** The breaker every call runs through: its failed and refused calls are the Kafka errors. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }

    private Properties adminProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.kafkaBootstrapServers());
        p.put("request.timeout.ms", Long.toString(Math.max(1000, timeout.toMillis() / 2)));
        p.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
        return p;
    }

    private <T> T call(String what, KafkaCall.Step<T> step) {
        Supplier<T> guarded = () -> KafkaCall.run(settings.kafkaBootstrapServers(), what, step);
        try {
            return breaker.executeSupplier(guarded);
        } catch (CallNotPermittedException e) {
            throw new TaskLogUnavailableException("kafka unavailable at " + settings.kafkaBootstrapServers()
                    + " (circuit open after repeated failures) while " + what, e);
        }
    }
}
