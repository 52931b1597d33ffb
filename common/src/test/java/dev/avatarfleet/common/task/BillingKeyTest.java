package dev.avatarfleet.common.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BillingKeyTest {

    @Test
    void theLaunchSecretOverridesTheDefaultAndOnlyAFingerprintRemains() {
        String mine = BillingKey.fingerprint("launch-secret", "fleet-secret");
        assertEquals(16, mine.length());
        assertEquals(mine, BillingKey.fingerprint("launch-secret", null));
        assertEquals(BillingKey.fingerprint(null, "fleet-secret"), BillingKey.fingerprint(" ", "fleet-secret"));
        assertNotEquals(mine, BillingKey.fingerprint(null, "fleet-secret"));
        // sha256("abc") starts ba7816bf8f01cfea
        assertEquals("ba7816bf8f01cfea", BillingKey.fingerprint("abc", null));
    }

    @Test
    void noSecretAnywhereIsNoBillingKey() {
        assertNull(BillingKey.fingerprint(null, null));
        assertNull(BillingKey.fingerprint("", " "));
    }
}
