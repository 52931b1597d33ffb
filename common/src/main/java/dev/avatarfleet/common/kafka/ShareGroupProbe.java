package dev.avatarfleet.common.kafka;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.TaskLogUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks the Kafka cluster about the launch topic's share group with one long-lived admin client (made on
 * first use): how many launch records the workers have not acknowledged yet, and whether a broker answers
 * at all (the health observer's Kafka check). Every call is bounded by {@code KAFKA_TIMEOUT_MS}.
 */
public final class ShareGroupProbe implements AutoCloseable {

    private final FleetSettings settings;
    private final Duration timeout;
    private Admin admin;
    private boolean closed;

    public ShareGroupProbe(FleetSettings settings) {
        this.settings = settings;
        this.timeout = settings.kafkaTimeout();
    }

    /**
     * The share group's lag over the launch topic: for each partition, the records from the share-partition
     * start offset to the end of the log that are not acknowledged (the broker's own figure, {@code lag} of
     * {@code ListShareGroupOffsets}); 0 while the group has no state yet.
     */
    public long lag() {
        return call("reading the share group lag of " + settings.workerGroup(), a -> {
            Map<TopicPartition, SharePartitionOffsetInfo> offsets = a.listShareGroupOffsets(
                            Map.of(settings.workerGroup(), new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(settings.workerGroup())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, SharePartitionOffsetInfo> e : offsets.entrySet()) {
                if (e.getKey().topic().equals(settings.taskTopic()) && e.getValue() != null) {
                    lag += e.getValue().lag().orElse(0L);
                }
            }
            return lag;
        });
    }

    /** The number of brokers that answered a describe-cluster; throws when none did in time. */
    public int brokers() {
        return call("describing the cluster", a -> a.describeCluster(new DescribeClusterOptions()
                        .timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size());
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T run(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private <T> T call(String what, AdminCall<T> step) {
        return KafkaCall.run(settings.kafkaBootstrapServers(), what, () -> step.run(admin()));
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new KafkaException("the probe is closed");
        }
        if (admin == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", settings.kafkaBootstrapServers());
            p.put("client.id", "avatarfleet-probe");
            p.put("request.timeout.ms", Long.toString(Math.max(1000, timeout.toMillis() / 2)));
            p.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
            admin = Admin.create(p);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
