package dev.avatarfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ApiSettings s = ApiSettings.from(Map.of());
        assertEquals("0.0.0.0", s.host());
        assertEquals(8089, s.port());
        assertEquals(List.of(), s.apiKeys());
        assertEquals(12L * 1024 * 1024, s.maxUploadBytes());
        assertEquals(10L * 1024 * 1024, s.maxImageBytes());
        assertEquals(Duration.ofSeconds(600), s.syncLaunchTimeout());
        assertEquals(3, s.imageFetchMaxRedirects());
        assertEquals(new RequestLimits(4096, 16_384, 100, Duration.ofSeconds(30)), s.requestLimits());
        assertTrue(!s.tls().enabled());
    }

    @Test
    void requestLimitsAreBounded() {
        for (Map.Entry<String, String> wrong : List.of(Map.entry("API_MAX_REQUEST_LINE_BYTES", "100"),
                Map.entry("API_MAX_HEADER_BYTES", "2000000"), Map.entry("API_MAX_HEADER_COUNT", "0"),
                Map.entry("API_REQUEST_READ_TIMEOUT_SECONDS", "0"), Map.entry("API_REQUEST_READ_TIMEOUT_SECONDS", "soon"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiSettings.from(Map.ofEntries(wrong)));
            assertTrue(e.getMessage().startsWith(wrong.getKey()), e.getMessage());
        }
        assertEquals(new RequestLimits(8192, 4096, 20, Duration.ofSeconds(5)), ApiSettings.from(Map.of(
                "API_MAX_REQUEST_LINE_BYTES", "8192", "API_MAX_HEADER_BYTES", "4096", "API_MAX_HEADER_COUNT", "20",
                "API_REQUEST_READ_TIMEOUT_SECONDS", "5")).requestLimits());
    }

    @Test
    void keysAreACommaList() {
        assertEquals(List.of("a", "b"), ApiSettings.from(Map.of("API_KEYS", " a, ,b ")).apiKeys());
    }

    @Test
    void aWrongValueNamesItsVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiSettings.from(Map.of("API_PORT", "http")));
        assertTrue(e.getMessage().startsWith("API_PORT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ApiSettings.from(Map.of("API_PORT", "70000")));
        assertTrue(e.getMessage().contains("API_PORT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ApiSettings.from(Map.of("MAX_IMAGE_BYTES", "2000000", "MAX_UPLOAD_BYTES", "1000000")));
        assertTrue(e.getMessage().contains("MAX_IMAGE_BYTES"), e.getMessage());
    }
}
