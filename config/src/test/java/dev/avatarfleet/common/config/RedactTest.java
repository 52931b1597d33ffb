package dev.avatarfleet.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactTest {

    @Test
    void aUrlLosesItsCredentialsAndKeepsWhereItPoints() {
        assertEquals("redis://***@cache.internal:6380/2", Redact.url(URI.create("redis://app:s3cret@cache.internal:6380/2")));
        assertEquals("rediss://***@h:6379", Redact.url(URI.create("rediss://:s3cret@h:6379")));
        assertEquals("redis://127.0.0.1:6379", Redact.url(URI.create("redis://127.0.0.1:6379")));
        assertEquals("redis://***@h:1/0", Redact.url("redis://u:p@ss@h:1/0"));
        assertEquals("not a url", Redact.url("not a url"));
    }

    @Test
    void aBadUrlSettingNamesTheVariableButNotThePassword() {
        Setting<URI> url = Setting.url("SOME_URL", "redis://h:1", Set.of("redis"));
        SettingsException wrongScheme = assertThrows(SettingsException.class,
                () -> new Env(Map.of("SOME_URL", "http://user:hunter2@h:1")).get(url));
        assertFalse(wrongScheme.getMessage().contains("hunter2"), wrongScheme.getMessage());
        SettingsException unparsable = assertThrows(SettingsException.class,
                () -> new Env(Map.of("SOME_URL", "redis://user:hunter2@h:1/a b")).get(url));
        assertEquals("SOME_URL", unparsable.variable());
        assertFalse(unparsable.getMessage().contains("hunter2"), unparsable.getMessage());
    }
}
