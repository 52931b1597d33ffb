package dev.avatarfleet.api.launch;

import dev.avatarfleet.common.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The API_KEYS check: when keys are configured, a launch must carry one of them as
 * {@code Authorization: Bearer}, an {@code api-secret} header or the {@code api_secret} field;
 * when none are configured every request is accepted (the seed container's behaviour).
 */
public final class ApiKeys {
    private final List<byte[]> keys;

    public ApiKeys(List<String> keys) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** True when no keys are configured. */
    public boolean open() {
        return keys.isEmpty();
    }

    /**
     * Throws 401 unless one of the offered credentials (nulls ignored) is a configured key.
     */
    public void require(String... offered) {
        if (keys.isEmpty()) {
            return;
        }
        boolean any = false;
        for (String candidate : offered) {
            if (candidate == null || candidate.isEmpty()) {
                continue;
            }
            any = true;
            byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
            for (byte[] key : keys) {
                // why: constant-time compare, so timing does not leak how much of a key matched
                if (MessageDigest.isEqual(key, bytes)) {
                    return;
                }
            }
        }
        throw ApiException.unauthorized(any ? "API key is not valid"
                : "API key required (Authorization: Bearer, api-secret header or api_secret field)");
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }
}
