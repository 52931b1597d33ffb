package dev.avatarfleet.api.access;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One API key as the node keeps it: never the key itself, only its salted SHA-256 ({@link KeySecrets}), and what it
 * grants. Stored as fields ({@link #fields()}) in Redis ({@code apikey:<id>}) or as one line of {@code API_KEYS_FILE}.
 *
 * @param id            the key's public id (also the first part of the key: {@code afk_<id>_<secret>})
 * @param tenant        the tenant whose tasks it launches and sees
 * @param operator      an operator key sees, stops and replays every tenant's tasks
 * @param salt          16 random bytes, this key's own
 * @param hash          SHA-256 of the salt and the key's secret part
 * @param createdAt     when it was made
 * @param limits        its own launch rate and session quota, where it has them
 * @param origin        where it is declared: {@code redis}, {@code file} or {@code env}
 */
public record ApiKey(String id, String tenant, boolean operator, byte[] salt, byte[] hash, Instant createdAt, KeyLimits limits,
                     String origin) {

    /** A key's own limits; null fields take the node's defaults. */
    public record KeyLimits(Integer ratePerMinute, Integer rateBurst, Integer maxSessions) {
        public static final KeyLimits DEFAULTS = new KeyLimits(null, null, null);
    }

    static final String ID = "[0-9a-f]{12}";
    static final String TENANT = "[A-Za-z0-9._-]{1,64}";

    public ApiKey {
        if (id == null || !id.matches(ID)) {
            throw new IllegalArgumentException("a key id is 12 hex digits, was '" + id + "'");
        }
        if (tenant == null || !tenant.matches(TENANT)) {
            throw new IllegalArgumentException("a tenant is 1-64 of A-Z a-z 0-9 . _ -, was '" + tenant + "'");
        }
        salt = salt.clone();
        hash = hash.clone();
        limits = limits == null ? KeyLimits.DEFAULTS : limits;
    }

    /** Whether {@code secret} is this key's secret part (constant time). */
    boolean matches(String secret) {
        return MessageDigest.isEqual(hash, KeySecrets.hash(salt, secret));
    }

    /** The fields it is stored as. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("tenant", tenant);
        f.put("role", operator ? "operator" : "tenant");
        f.put("salt", HexFormat.of().formatHex(salt));
        f.put("sha256", HexFormat.of().formatHex(hash));
        f.put("created_at", createdAt.toString());
        if (limits.ratePerMinute() != null) {
            f.put("rate_per_minute", limits.ratePerMinute().toString());
        }
        if (limits.rateBurst() != null) {
            f.put("rate_burst", limits.rateBurst().toString());
        }
        if (limits.maxSessions() != null) {
            f.put("max_sessions", limits.maxSessions().toString());
        }
        return f;
    }

    /** The key stored as {@code fields} under {@code id}; IllegalArgumentException naming what is wrong. */
    public static ApiKey fromFields(String id, Map<String, String> f, String origin) {
        String role = f.getOrDefault("role", "tenant");
        if (!role.equals("tenant") && !role.equals("operator")) {
            throw new IllegalArgumentException("role must be tenant or operator, was '" + role + "'");
        }
        return new ApiKey(id, f.get("tenant"), role.equals("operator"), hex(f, "salt"), hex(f, "sha256"),
                f.containsKey("created_at") ? Instant.parse(f.get("created_at")) : Instant.EPOCH,
                new KeyLimits(number(f, "rate_per_minute"), number(f, "rate_burst"), number(f, "max_sessions")), origin);
    }

    private static byte[] hex(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null || !v.matches("[0-9a-f]{32,64}")) {
            throw new IllegalArgumentException(name + " must be hex");
        }
        return HexFormat.of().parseHex(v);
    }

    private static Integer number(Map<String, String> f, String name) {
        return wholeNumber(f.get(name), name);
    }

    /**
     * A limit as stored or typed: null when absent, else a whole number of 0 or more.
     *
     * @throws IllegalArgumentException naming {@code label} when it is anything else
     */
    static Integer wholeNumber(String value, String label) {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + " must be a whole number of 0 or more, was '" + value + "'");
        }
    }

    /** why: records print every field; neither salt nor hash belongs in a log. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", tenant=" + tenant + ", operator=" + operator + ", origin=" + origin + "]";
    }
}
