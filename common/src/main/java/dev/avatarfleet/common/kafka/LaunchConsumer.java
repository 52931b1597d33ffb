package dev.avatarfleet.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.avatarfleet.common.config.FleetSettings;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker's member of the launch topic's share group (KIP-932): explicit acknowledgement and
 * {@code record_limit} acquisition, so one poll acquires at most {@code max.poll.records} records.
 * Not thread-safe: one claimer thread owns it; {@link #wakeup()} may be called from any thread.
 */
public final class LaunchConsumer implements AutoCloseable {

    private static final String COORDINATOR_METRICS = "consumer-share-coordinator-metrics";
    private static final String REBALANCE_TOTAL = "rebalance-total";

    private final KafkaShareConsumer<String, String> consumer;

    /**
     * @param maxPerPoll records one poll may acquire; the claimer polls only while it has a free slot
     */
    public LaunchConsumer(FleetSettings settings, String workerId, int maxPerPoll) {
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.kafkaBootstrapServers());
        p.put("group.id", settings.workerGroup());
        p.put("client.id", "avatarfleet-worker-" + workerId);
        p.put("share.acknowledgement.mode", "explicit");
        // why: the default batch_optimized mode may hand out more than max.poll.records at once
        p.put("share.acquire.mode", "record_limit");
        p.put("max.poll.records", Integer.toString(maxPerPoll));
        p.put("request.timeout.ms", Long.toString(Math.max(1000, settings.kafkaTimeout().toMillis())));
        this.consumer = new KafkaShareConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(Set.of(settings.taskTopic()));
    }

    /** Acquires up to {@code maxPerPoll} records, waiting at most {@code timeout}; empty after {@link #wakeup()}. */
    public List<LaunchDelivery> poll(Duration timeout) {
        List<LaunchDelivery> out = new ArrayList<>();
        try {
            for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
                out.add(new LaunchDelivery(r, LaunchRecords.decode(r.value()), r.deliveryCount().map(Short::intValue).orElse(1)));
            }
        } catch (WakeupException e) {
            // why: wakeup() is how the claimer is told to stop waiting; not an error
        }
        return out;
    }

    /**
     * Whether the group coordinator has given this member its assignment (the share consumer's
     * {@code rebalance-total} metric has counted one), i.e. a launch produced now reaches this member
     * without first waiting for its join. A member joins in its first {@link #poll}; call from the
     * polling thread.
     */
    public boolean joined() {
        for (Map.Entry<MetricName, ? extends Metric> m : consumer.metrics().entrySet()) {
            if (REBALANCE_TOTAL.equals(m.getKey().name()) && COORDINATOR_METRICS.equals(m.getKey().group())
                    && m.getValue().metricValue() instanceof Number n && n.doubleValue() >= 1) {
                return true;
            }
        }
        return false;
    }

    /** Done with it (claimed, or skipped for good). */
    public void accept(LaunchDelivery d) {
        consumer.acknowledge(d.record(), AcknowledgeType.ACCEPT);
    }

    /** Give it back for another member (or this one) to take later. */
    public void release(LaunchDelivery d) {
        consumer.acknowledge(d.record(), AcknowledgeType.RELEASE);
    }

    /** Not a launch record: never deliver it again. */
    public void reject(LaunchDelivery d) {
        consumer.acknowledge(d.record(), AcknowledgeType.REJECT);
    }

    /** Sends the acknowledgements now instead of with the next poll. */
    public void commit(Duration timeout) {
        consumer.commitSync(timeout);
    }

    /** Makes a blocked {@link #poll} return at once. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
