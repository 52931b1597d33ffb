package dev.avatarfleet.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogbackSetupTest {

    private final LoggerContext context = new LoggerContext();

    private String encode(String format, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.avatarfleet.worker.Claimer"), Level.INFO,
                "claimed task {}", null, new Object[] {"t-1"});
        event.setMDCPropertyMap(mdc);
        return new String(LogbackSetup.encoder(context, format).encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsOneObjectPerLineWithTheMdcKeysAsFields() throws Exception {
        String line = encode("json", Map.of("task_id", "t-1", "worker_id", "w-1", "room_name", "r"));
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("claimed task t-1", json.path("message").asText());
        assertEquals("INFO", json.path("level").asText());
        assertEquals("dev.avatarfleet.worker.Claimer", json.path("logger_name").asText());
        assertEquals("t-1", json.path("task_id").asText());
        assertEquals("w-1", json.path("worker_id").asText());
        assertEquals("r", json.path("room_name").asText());
        assertTrue(json.has("@timestamp"));
    }

    @Test
    void textIsOneLineWithTheMdcOnlyWhenThereIsOne() {
        String plain = encode("text", Map.of());
        assertTrue(plain.matches("\\S+ INFO  \\[main] dev\\.avatarfleet\\.worker\\.Claimer - claimed task t-1\\R"), plain);
        String tagged = encode("text", Map.of("task_id", "t-1"));
        assertTrue(tagged.contains("Claimer task_id=t-1 - claimed task t-1"), tagged);
    }

    @Test
    void aWrongFormatStopsTheStartNamingTheSetting() {
        assertEquals("LOG_FORMAT", assertThrows(SettingsException.class,
                () -> Logging.start(new Env(Map.of("LOG_FORMAT", "xml")))).variable());
    }

    @Test
    void theProcessLogsThroughLogbackWithJavaUtilLoggingBridgedAndKafkaQuiet() {
        Logging.start(new Env(Map.of()));
        LoggerContext real = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertEquals(Level.WARN, real.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel());
        assertEquals(Level.INFO, real.getLogger("dev.avatarfleet").getEffectiveLevel());
        assertTrue(org.slf4j.bridge.SLF4JBridgeHandler.isInstalled());
        assertFalse(java.util.logging.Logger.getLogger("org.apache.kafka").isLoggable(java.util.logging.Level.INFO));
    }
}
