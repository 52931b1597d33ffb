package dev.avatarfleet.testkit;

import dev.avatarfleet.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaNetworkTest {
    @Test
    void readsTheTwoAddresses() {
        MediaNetwork n = MediaNetwork.fromEnvironment(env(MediaNetwork.ENV, "10.77.3.1, 10.77.3.2"));
        assertEquals("10.77.3.1", n.server());
        assertEquals("10.77.3.2", n.client());
    }

    @Test
    void explainsWhatToDoWhenAbsentOrMalformed() {
        IllegalStateException absent = assertThrows(IllegalStateException.class, () -> MediaNetwork.fromEnvironment(new Env(Map.of())));
        assertTrue(absent.getMessage().contains("network namespace"));
        assertThrows(IllegalStateException.class, () -> MediaNetwork.fromEnvironment(env(MediaNetwork.ENV, "10.77.3.1")));
    }

    private static Env env(String name, String value) {
        return new Env(Map.of(name, value));
    }
}
