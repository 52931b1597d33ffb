package dev.avatarfleet.api.access;

import java.util.function.Supplier;

import dev.avatarfleet.common.task.BillingKey;

/**
 * Salted fingerprints of secrets, the same on every API node: the {@code billing_key_id} of a launch's billing
 * secret, and the tenant of an {@code API_KEYS} key. The salt is {@code FINGERPRINT_SALT}, or the fleet's drawn into
 * Redis, fetched on first use and kept.
 */
public final class Fingerprints {

    private final Supplier<byte[]> saltSource;
    private volatile byte[] salt;

    /** @param saltSource the salt, asked once (it may reach Redis); a failure is asked again next time */
    public Fingerprints(Supplier<byte[]> saltSource) {
        this.saltSource = saltSource;
    }

    private byte[] salt() {
        byte[] s = salt;
        if (s == null) {
            s = saltSource.get();
            salt = s;
        }
        return s;
    }

    /** {@link BillingKey#fingerprint}: the launch's own secret, else the node's default, salted; null for neither. */
    public String billingKeyId(String launchSecret, String defaultSecret) {
        if ((launchSecret == null || launchSecret.isBlank()) && (defaultSecret == null || defaultSecret.isBlank())) {
            return null;
        }
        return BillingKey.fingerprint(salt(), launchSecret, defaultSecret);
    }

    /** The tenant of an {@code API_KEYS} key: {@code key-} and 16 hex digits of its salted fingerprint, never the key. */
    String tenantOfKey(String key) {
        return "key-" + BillingKey.salted(salt(), "tenant", key);
    }
}
