package dev.avatarfleet.testkit;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;
import dev.avatarfleet.common.logging.Logging;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one Kafka broker in its own JVM for the local stack:
 * {@code java -cp <testkit classpath> dev.avatarfleet.testkit.KafkaServerMain <data-dir> <port> <controller-port> [host]}.
 *
 * <p>The data folder is formatted on the first start only and kept across restarts; SIGTERM stops
 * the broker cleanly (the JVM then exits with 143, as for any SIGTERM).
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: KafkaServerMain <data-dir> <port> <controller-port> [host (default 127.0.0.1)]");
            System.exit(2);
        }
        try {
            Logging.start(Env.system());
        } catch (SettingsException e) {
            System.err.println("kafka: bad setting " + e.getMessage());
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = parsePort(args[1], "port");
        int controllerPort = parsePort(args[2], "controller-port");
        String host = args.length == 4 ? args[3] : "127.0.0.1";
        KafkaBroker broker = KafkaBroker.start(dataDir, port, controllerPort, host, Map.of(), false);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        System.out.println("kafka broker listening on " + host + ":" + port + " (controller " + controllerPort + "), data " + dataDir);
        System.out.flush();
        stopped.await();
    }

    private static int parsePort(String value, String name) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.println(name + " must be a TCP port (1-65535), was '" + value + "'");
            System.exit(2);
            return -1;
        }
    }
}
