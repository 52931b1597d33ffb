package dev.avatarfleet.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The form of an API key and its hash. A key is {@code afk_<id>_<secret>}: its id (12 hex digits, public: in
 * listings and logs) names the stored record, its secret (32 random bytes, base64url) is checked against the
 * record's salted SHA-256. why the id inside: a presented key finds its one record directly, and only that
 * record's hash is compared.
 */
public final class KeySecrets {

    private static final String PREFIX = "afk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just made: the text to hand out once, and the record to keep. */
    public record NewKey(String key, ApiKey record) {
        @Override
        public String toString() {
            return "NewKey[" + record + "]";
        }
    }

    /** A presented key taken apart: its id and secret. */
    record Presented(String id, String secret) {
        @Override
        public String toString() {
            return "Presented[id=" + id + "]";
        }
    }

    private KeySecrets() {
    }

    /** Makes a key for {@code tenant}. */
    public static NewKey create(String tenant, boolean operator, ApiKey.KeyLimits limits, Instant now, String origin) {
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        ApiKey record = new ApiKey(id, tenant, operator, salt, hash(salt, secret), now, limits, origin);
        return new NewKey(PREFIX + id + "_" + secret, record);
    }

    /** The id and secret of a key of this form, or null when {@code key} is not one (an {@code API_KEYS} key, say). */
    static Presented parse(String key) {
        if (key == null || key.length() < PREFIX.length() + 14 || !key.startsWith(PREFIX) || key.charAt(PREFIX.length() + 12) != '_') {
            return null;
        }
        String id = key.substring(PREFIX.length(), PREFIX.length() + 12);
        return id.matches(ApiKey.ID) ? new Presented(id, key.substring(PREFIX.length() + 13)) : null;
    }

    /** SHA-256 of the salt and the secret. */
    static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
