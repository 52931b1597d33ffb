package dev.avatarfleet.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as made, stored and checked: never kept whole, found by id, compared by their salted hash. */
class KeysTest {

    private static final Fingerprints FINGERPRINTS = new Fingerprints(() -> "keys-test-salt-0123456789".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aKeyIsKeptOnlyAsItsSaltedHashAndMatchesOnlyItself() {
        KeySecrets.NewKey made = KeySecrets.create("acme", false, ApiKey.KeyLimits.DEFAULTS, Instant.parse("2026-01-01T00:00:00Z"), "redis");
        assertTrue(made.key().matches("afk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), made.key());
        String secret = made.key().substring(17);
        assertFalse(made.record().fields().toString().contains(secret), "the stored fields hold no key");
        assertFalse(made.toString().contains(secret));
        ApiKey back = ApiKey.fromFields(made.record().id(), made.record().fields(), "redis");
        assertTrue(back.matches(secret));
        assertFalse(back.matches(secret.substring(1)));
        assertEquals("acme", back.tenant());
        assertNull(KeySecrets.parse("plain-api-key"));
        assertEquals(made.record().id(), KeySecrets.parse(made.key()).id());
    }

    @Test
    void theDirectoryFindsAKeyByItsIdAndEachApiKeysKeyIsATenantOfItsOwn(@TempDir Path dir) throws Exception {
        KeySecrets.NewKey op = KeySecrets.create("ops", true, new ApiKey.KeyLimits(5, 2, 3), Instant.now(), "file");
        KeyFile file = new KeyFile(dir.resolve("keys"));
        file.add(op.record());
        try (KeyDirectory keys = new KeyDirectory(List.of("k1", "k2"), file, null, FINGERPRINTS, Clock.systemUTC())) {
            assertEquals(KeyDirectory.Mode.KEYS, keys.mode());
            ApiKey found = keys.authenticate(java.util.Arrays.asList(null, " ", op.key())).orElseThrow();
            assertTrue(found.operator());
            assertEquals(3, found.limits().maxSessions());
            ApiKey k1 = keys.authenticate(List.of("k1")).orElseThrow();
            ApiKey k2 = keys.authenticate(List.of("k2")).orElseThrow();
            assertTrue(k1.tenant().matches("key-[0-9a-f]{16}"), k1.tenant());
            assertFalse(k1.tenant().equals(k2.tenant()));
            assertEquals(k1.tenant(), keys.authenticate(List.of("k1")).orElseThrow().tenant(), "stable");
            assertEquals(Optional.empty(), keys.authenticate(List.of("k3", op.key() + "x")));
            // revoked from the file: refused at the next read
            assertTrue(file.remove(op.record().id()));
            keys.refresh();
            assertTrue(keys.authenticate(List.of(op.key())).isEmpty());
        }
    }

    @Test
    void aFileWithABadLineIsRefusedWholeNamingTheLineNotItsContent(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("keys");
        Files.writeString(path, "# comment\n\n0123456789ab tenant=acme role=root salt=00 sha256=00\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeyFile(path).keys());
        assertTrue(e.getMessage().startsWith("line 3:"), e.getMessage());
        assertThrows(dev.avatarfleet.common.config.SettingsException.class,
                () -> new KeyDirectory(List.of(), new KeyFile(path), null, FINGERPRINTS, Clock.systemUTC()));
    }

    @Test
    void noKeyAnywhereIsAnOpenNode() {
        try (KeyDirectory keys = new KeyDirectory(List.of(), null, null, FINGERPRINTS, Clock.systemUTC())) {
            assertEquals(KeyDirectory.Mode.OPEN, keys.mode());
        }
    }
}
