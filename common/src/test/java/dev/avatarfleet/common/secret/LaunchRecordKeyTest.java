package dev.avatarfleet.common.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;
import org.junit.jupiter.api.Test;

class LaunchRecordKeyTest {

    @Test
    void theSettingIsBase64Of32BytesAndAWrongOneNamesItWithoutItsValue() {
        byte[] raw = new byte[32];
        raw[0] = 7;
        String text = Base64.getEncoder().encodeToString(raw);
        LaunchRecordKey key = LaunchRecordKey.fromEnvironment(new Env(Map.of("LAUNCH_RECORD_KEY", text))).orElseThrow();
        assertEquals(LaunchRecordKey.of(raw), key);
        assertEquals(8, key.id().length());
        assertFalse(key.toString().contains(text));
        assertTrue(LaunchRecordKey.fromEnvironment(new Env(Map.of())).isEmpty());
        SettingsException shortKey = assertThrows(SettingsException.class, () -> LaunchRecordKey.fromEnvironment(
                new Env(Map.of("LAUNCH_RECORD_KEY", "c2hvcnQta2V5LXZhbHVl"))));
        assertEquals("LAUNCH_RECORD_KEY", shortKey.variable());
        assertFalse(shortKey.getMessage().contains("c2hvcnQta2V5LXZhbHVl"));
        assertThrows(SettingsException.class, () -> LaunchRecordKey.fromEnvironment(new Env(Map.of("LAUNCH_RECORD_KEY", "not base64!"))));
    }

    @Test
    void theConfiguredKeySealsAndEveryKeySeenStillOpens() throws Exception {
        LaunchRecordKeys keys = new LaunchRecordKeys();
        LaunchRecordKey fleet = LaunchRecordKey.of(new byte[32]);
        LaunchRecordKeys.Source fromRedis = keys.addSource(() -> new byte[32]);
        assertEquals(fleet, keys.sealing(), "without a configured key the fleet's key (its source) seals");
        byte[] configuredBytes = new byte[32];
        configuredBytes[31] = 1;
        LaunchRecordKey configured = LaunchRecordKey.of(configuredBytes);
        keys.configure(configured);
        assertEquals(configured, keys.sealing());
        String before = TokenSeal.seal(fleet, "secret", "t-1");
        assertEquals("secret", TokenSeal.open(before, "t-1", keys::byId), "a record sealed before the key was set still opens");
        fromRedis.close();
        assertEquals("secret", TokenSeal.open(before, "t-1", keys::byId), "a key seen stays known");
    }
}
