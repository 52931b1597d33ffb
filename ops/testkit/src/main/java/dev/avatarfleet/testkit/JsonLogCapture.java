package dev.avatarfleet.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of this JVM as {@code LOG_FORMAT=json} writes it (the logstash encoder: one JSON
 * object per line, each MDC key a field of its own) while open, for tests of what the lines carry.
 *
 * <pre>{@code
 * try (JsonLogCapture logs = JsonLogCapture.start()) {
 *     ...;
 *     logs.lines().forEach(line -> assertEquals(taskId, line.path("task_id").asText()));
 * }
 * }</pre>
 */
public final class JsonLogCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final Logger root;

    private JsonLogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setName("json-capture");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
    }

    /** Starts capturing. */
    public static JsonLogCapture start() {
        return new JsonLogCapture();
    }

    /** Every line so far, parsed. */
    public List<JsonNode> lines() {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not one JSON object per line: " + line, e);
            }
        }
        return lines;
    }

    /** Lines whose text (message, thread, MDC or stack trace) mentions {@code text}. */
    public List<JsonNode> mentioning(String text) {
        return lines().stream().filter(l -> l.toString().contains(text)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
