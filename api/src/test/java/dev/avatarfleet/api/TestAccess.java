package dev.avatarfleet.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.api.access.AccessSettings;
import dev.avatarfleet.api.access.Fingerprints;
import dev.avatarfleet.api.access.KeyDirectory;
import dev.avatarfleet.api.access.LaunchGate;
import dev.avatarfleet.api.access.LaunchLimiter;
import dev.avatarfleet.api.access.TrustedProxies;

/**
 * The real access classes for routing tests that run without Redis: {@code API_KEYS} keys only (none: the node is
 * open), no launch rate (its buckets are Redis's), a fixed fingerprint salt.
 */
public final class TestAccess {

    public static final Fingerprints FINGERPRINTS = new Fingerprints(() -> "routing-test-salt-0123456789".getBytes(StandardCharsets.US_ASCII));

    private TestAccess() {
    }

    /** The access filter of a node whose keys are {@code apiKeys} (empty: open). */
    public static AccessFilter filter(List<String> apiKeys) {
        return new AccessFilter(new KeyDirectory(apiKeys, null, null, FINGERPRINTS, Clock.systemUTC()), TrustedProxies.NONE,
                id -> Optional.empty());
    }

    /** The launch's access check through {@code filter}, with no rate limit. */
    public static LaunchGate gate(AccessFilter filter) {
        return new LaunchGate(filter, new LaunchLimiter(null, new AccessSettings.LaunchRate(0, 1), 0));
    }
}
