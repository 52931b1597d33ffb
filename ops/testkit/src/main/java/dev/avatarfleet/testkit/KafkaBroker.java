package dev.avatarfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka 4.4 cluster (KRaft, broker and controller in one process) built from the
 * public server classes of {@code kafka_2.13}, bound to 127.0.0.1.
 *
 * <p>Tests use {@link #startForTests()} (a throw-away data folder, free ports, settings tuned so
 * share groups join in about a second); the local stack runs {@link KafkaServerMain} in its own JVM.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final String host;
    private final Map<String, String> overrides;

    private KafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port, int controllerPort,
                        String host, Map<String, String> overrides) {
        this.server = server;
        this.controllerPort = controllerPort;
        this.host = host;
        this.overrides = Map.copyOf(overrides);
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
    }

    /** Starts a broker on free ports with a temporary data folder that {@link #close()} deletes. */
    public static KafkaBroker startForTests() {
        try {
            return startForTests(Files.createTempDirectory("avatarfleet-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker with the test settings on free ports over {@code dir}, which is kept after
     * {@link #close()} (e.g. a test's own folder, for a {@link #restart}).
     */
    public static KafkaBroker startForTests(Path dir) {
        return startForTests(dir, false);
    }

    private static KafkaBroker startForTests(Path dir, boolean deleteOnClose) {
        return startForTests(dir, deleteOnClose, null, 0, null);
    }

    /**
     * As {@link #startForTests(Path)}, with a second listener {@code name} on {@code listenerPort} that the broker
     * advertises as {@code advertised} (host:port): clients bootstrapped there reach the broker through whatever
     * listens at {@code advertised}, e.g. a {@link TcpProxy} in front of {@code listenerPort}.
     */
    public static KafkaBroker startForTests(Path dir, String name, int listenerPort, String advertised) {
        return startForTests(dir, false, name, listenerPort, advertised);
    }

    private static KafkaBroker startForTests(Path dir, boolean deleteOnClose, String extraName, int extraPort, String extraAdvertised) {
        RuntimeException last = null;
        // why: a free port can be taken between picking it and binding it; try a few pairs
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.next();
            int controllerPort = FreePorts.next();
            Map<String, String> overrides = testOverrides();
            if (extraName != null) {
                overrides.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + extraName + "://127.0.0.1:" + extraPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort);
                overrides.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + "," + extraName + "://" + extraAdvertised);
                overrides.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT," + extraName + ":PLAINTEXT");
            }
            try {
                return start(dir, port, controllerPort, "127.0.0.1", overrides, deleteOnClose);
            } catch (RuntimeException e) {
                last = e;
                deleteTree(dir);
                try {
                    Files.createDirectories(dir);
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
        }
        throw last;
    }

    /**
     * Formats {@code dataDir} if it has never been formatted, then starts the broker.
     *
     * @param host the address both listeners bind to and the broker advertises
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, String host,
                                    Map<String, String> overrides, boolean deleteOnClose) {
        Map<String, Object> props = new HashMap<>(baseConfig(dataDir, port, controllerPort, host));
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(1)
                        .setDirectories(List.of(dataDir.toString()))
                        .setMetadataLogDirectory(dataDir.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setIgnoreFormatted(true)
                        .run();
            }
        } catch (Exception e) {
            throw new IllegalStateException("formatting the Kafka data folder " + dataDir + " failed: " + e, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            try {
                server.shutdown();
            } catch (RuntimeException ignored) {
                // why: startup already failed; the first error is the one worth reporting
            }
            throw e;
        }
        return new KafkaBroker(server, dataDir, deleteOnClose, port, controllerPort, host, overrides);
    }

    /** The settings every broker of this project runs with (single node, replication factor 1). */
    static Map<String, String> baseConfig(Path dataDir, int port, int controllerPort, String host) {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // why: a share consumer waits one heartbeat before its first records; 5 s by default
        p.put("group.share.heartbeat.interval.ms", "500");
        p.put("group.share.min.heartbeat.interval.ms", "500");
        return p;
    }

    /** Short timeouts so tests see dead consumers and lock expiry in seconds, not minutes. */
    static Map<String, String> testOverrides() {
        Map<String, String> p = new HashMap<>();
        p.put("group.share.session.timeout.ms", "6000");
        p.put("group.share.min.session.timeout.ms", "6000");
        p.put("group.share.min.record.lock.duration.ms", "1000");
        p.put("group.share.record.lock.duration.ms", "15000");
        p.put("log.flush.interval.messages", "1000000");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops this broker (keeping its data), waits {@code downtime}, and starts it again on the same
     * ports and data: what a broker restart looks like to the fleet. This instance is done afterwards.
     */
    public KafkaBroker restart(java.time.Duration downtime) throws InterruptedException {
        server.shutdown();
        server.awaitShutdown();
        Thread.sleep(downtime.toMillis());
        return start(dataDir, port, controllerPort, host, overrides, deleteOnClose);
    }

    /** Stops the broker and waits until it has stopped; deletes a test data folder. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // why: a leftover temp folder is not worth failing a test run for
        }
    }
}
