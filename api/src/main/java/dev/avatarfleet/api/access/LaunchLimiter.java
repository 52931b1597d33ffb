package dev.avatarfleet.api.access;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.store.LaunchRateLimits;
import dev.avatarfleet.common.store.TenantAdmission;

/**
 * A launch's limits: its key's launch rate, taken from a fleet-wide bucket in Redis before the launch costs anything
 * (429 {@code rate_limited} with {@code Retry-After}), and its tenant's session quota, handed to the admission that
 * checks it atomically with the fleet's capacity. A key's own limits override the node's defaults.
 */
public final class LaunchLimiter {

    private final LaunchRateLimits buckets;
    private final AccessSettings.LaunchRate defaultRate;
    private final int defaultMaxSessions;

    public LaunchLimiter(LaunchRateLimits buckets, AccessSettings.LaunchRate defaultRate, int defaultMaxSessions) {
        this.buckets = buckets;
        this.defaultRate = defaultRate;
        this.defaultMaxSessions = defaultMaxSessions;
    }

    /** Takes a launch token for {@code caller}, or throws the 429. */
    public void takeLaunch(Caller caller) {
        ApiKey.KeyLimits own = caller.limits();
        int perMinute = own.ratePerMinute() != null ? own.ratePerMinute() : defaultRate.perMinute();
        int burst = own.rateBurst() != null ? own.rateBurst() : defaultRate.burst();
        if (perMinute <= 0) {
            return;
        }
        LaunchRateLimits.Decision d = buckets.take(caller.rateBucket(), perMinute, Math.max(1, burst));
        if (!d.allowed()) {
            throw ApiException.limited("rate_limited", "launch rate exceeded for " + (caller.keyId() != null ? "key " + caller.keyId()
                    : "this client address") + " (" + perMinute + " a minute, bursts of " + burst + ")", d.retryAfter());
        }
    }

    /** The tenant and quota the launch is admitted under. */
    public TenantAdmission admission(Caller caller) {
        if (caller.tenant() == null) {
            return TenantAdmission.NONE;
        }
        Integer own = caller.limits().maxSessions();
        return new TenantAdmission(caller.tenant(), own != null ? own : defaultMaxSessions);
    }
}
