package dev.avatarfleet.common.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BillingKeyTest {

    private static final byte[] SALT = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_SALT = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theLaunchSecretOverridesTheDefaultAndOnlyAFingerprintRemains() {
        String mine = BillingKey.fingerprint(SALT, "launch-secret", "fleet-secret");
        assertEquals(16, mine.length());
        assertEquals(mine, BillingKey.fingerprint(SALT, "launch-secret", null));
        assertEquals(BillingKey.fingerprint(SALT, null, "fleet-secret"), BillingKey.fingerprint(SALT, " ", "fleet-secret"));
        assertNotEquals(mine, BillingKey.fingerprint(SALT, null, "fleet-secret"));
    }

    @Test
    void theFingerprintIsSaltedNotAPlainHashOfTheSecret() throws Exception {
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("abc".getBytes(StandardCharsets.UTF_8)), 0, 8);
        assertNotEquals(plain, BillingKey.fingerprint(SALT, "abc", null));
        // stable for one salt (every node of a fleet), different under another fleet's salt
        assertEquals(BillingKey.fingerprint(SALT, "abc", null), BillingKey.fingerprint(SALT.clone(), "abc", null));
        assertNotEquals(BillingKey.fingerprint(SALT, "abc", null), BillingKey.fingerprint(OTHER_SALT, "abc", null));
        // and one secret fingerprints differently for another purpose
        assertNotEquals(BillingKey.fingerprint(SALT, "abc", null), BillingKey.salted(SALT, "tenant", "abc"));
        assertThrows(IllegalArgumentException.class, () -> BillingKey.fingerprint(new byte[8], "abc", null));
    }

    @Test
    void noSecretAnywhereIsNoBillingKey() {
        assertNull(BillingKey.fingerprint(SALT, null, null));
        assertNull(BillingKey.fingerprint(SALT, "", " "));
    }
}
