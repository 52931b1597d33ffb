package dev.avatarfleet.common.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The billing secret a session is accounted to, as the seed container has it: the launch's
 * {@code api_secret} overrides {@code BITHUMAN_API_SECRET}. Only a fingerprint is ever stored or
 * shown ({@code billing_key_id} on the task), so usage can be summed per secret without keeping it.
 */
public final class BillingKey {

    private BillingKey() {
    }

    /**
     * @param launchSecret  the secret the launch carried, or null
     * @param defaultSecret {@code BITHUMAN_API_SECRET}, or null
     * @return the first 16 hex digits of the SHA-256 of the secret that applies, or null when neither is set
     */
    public static String fingerprint(String launchSecret, String defaultSecret) {
        String secret = launchSecret != null && !launchSecret.isBlank() ? launchSecret.trim()
                : defaultSecret != null && !defaultSecret.isBlank() ? defaultSecret.trim() : null;
        if (secret == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
