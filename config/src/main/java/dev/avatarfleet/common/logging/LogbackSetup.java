package dev.avatarfleet.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logback's set-up, found through {@code ServiceLoader} when SLF4J starts: INFO and up on stderr, in the
 * {@link Logging#LOG_FORMAT} format, {@link Logging#QUIET} libraries at WARN, and {@code java.util.logging}
 * bridged to SLF4J with its levels kept equal to Logback's. A {@code logback-test.xml} or {@code logback.xml}
 * on the class path still wins (Logback reads it next).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackSetup extends ContextAwareBase implements Configurator {

    /** The text layout: time, level, thread, logger, the MDC when there is one, the message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}%replace( %mdc){'^ $', ''}"
            + " - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogbackSetup.class.getClassLoader();
        if (loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        String format;
        try {
            format = Env.system().get(Logging.LOG_FORMAT);
        } catch (SettingsException e) {
            // why: Logging.start reports it and stops the process; until then, lines are still written, as text
            format = "text";
        }
        // why: first, so the levels set below reach java.util.logging too (disabled JUL levels cost nothing)
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, format));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String name : Logging.QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The started encoder of {@code format} ({@code text} or {@code json}). */
    static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if ("json".equals(format)) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
