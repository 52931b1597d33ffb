package dev.avatarfleet.common.task;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The billing secret a session is accounted to, as the seed container has it: the launch's
 * {@code api_secret} overrides {@code BITHUMAN_API_SECRET}. Only a fingerprint is ever stored or
 * shown ({@code billing_key_id} on the task), so usage can be summed per secret without keeping it.
 *
 * <p>The fingerprint is salted (HMAC-SHA-256 under the fleet's fingerprint salt, the same on every node): an
 * unsalted hash of a short or guessable secret could be reversed by trying candidates against it.
 */
public final class BillingKey {

    private BillingKey() {
    }

    /**
     * @param salt          the fleet's fingerprint salt (at least 16 bytes)
     * @param launchSecret  the secret the launch carried, or null
     * @param defaultSecret {@code BITHUMAN_API_SECRET}, or null
     * @return 16 hex digits of the salted fingerprint of the secret that applies, or null when neither is set
     */
    public static String fingerprint(byte[] salt, String launchSecret, String defaultSecret) {
        String secret = launchSecret != null && !launchSecret.isBlank() ? launchSecret.trim()
                : defaultSecret != null && !defaultSecret.isBlank() ? defaultSecret.trim() : null;
        return secret == null ? null : salted(salt, "billing", secret);
    }

    /**
     * 16 hex digits of HMAC-SHA-256 under {@code salt} over {@code purpose} and {@code secret}: the same secret gives
     * different fingerprints for different purposes (a billing id is not a tenant id).
     */
    public static String salted(byte[] salt, String purpose, String secret) {
        if (salt == null || salt.length < 16) {
            throw new IllegalArgumentException("a fingerprint salt is at least 16 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            mac.update((purpose + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
