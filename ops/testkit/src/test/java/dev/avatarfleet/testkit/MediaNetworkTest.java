package dev.avatarfleet.testkit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaNetworkTest {
    @Test
    void readsTheTwoAddresses() {
        MediaNetwork n = MediaNetwork.parse(Map.of(MediaNetwork.ENV, "10.77.3.1, 10.77.3.2"));
        assertEquals("10.77.3.1", n.server());
        assertEquals("10.77.3.2", n.client());
    }

    @Test
    void explainsWhatToDoWhenAbsentOrMalformed() {
        IllegalStateException absent = assertThrows(IllegalStateException.class, () -> MediaNetwork.parse(Map.of()));
        assertTrue(absent.getMessage().contains("network namespace"));
        assertThrows(IllegalStateException.class, () -> MediaNetwork.parse(Map.of(MediaNetwork.ENV, "10.77.3.1")));
    }
}
