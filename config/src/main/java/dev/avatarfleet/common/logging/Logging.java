package dev.avatarfleet.common.logging;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * How every process of the project logs: SLF4J, written by Logback ({@link LogbackSetup}) as text or as one
 * JSON object per line ({@link #LOG_FORMAT}), with {@code java.util.logging} (Helidon, the JDK) bridged in.
 * A main calls {@link #start(Env)} first, with its other settings.
 */
public final class Logging {

    public static final Setting<String> LOG_FORMAT = Setting.choice("LOG_FORMAT", "text", "text", "json")
            .readBy(Node.API, Node.WORKER, Node.DEVROOM, Node.TEST_BROKER)
            .means("log lines on stderr: `text` for people, or `json`, one JSON object per line (`@timestamp`, `level`,"
                    + " `logger_name`, `thread_name`, `message`, `stack_trace`) with every MDC key (`task_id`, ...) as a field"
                    + " of its own");

    /** Every setting of this class. */
    public static final List<Setting<?>> SETTINGS = List.of(LOG_FORMAT);

    /** Loggers held at WARN. why: Kafka logs every reconnect and request at INFO, which buries a node's own lines. */
    static final List<String> QUIET = List.of("org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper");

    private Logging() {
    }

    /**
     * Checks {@link #LOG_FORMAT} and makes sure Logback is set up and {@code java.util.logging} bridged before the
     * process logs anything.
     *
     * @throws dev.avatarfleet.common.config.SettingsException when LOG_FORMAT is neither text nor json
     */
    public static void start(Env env) {
        env.get(LOG_FORMAT);
        // why: the first factory call runs LogbackSetup (ServiceLoader), which also installs the JUL bridge
        LoggerFactory.getILoggerFactory();
    }
}
