package dev.avatarfleet.common.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Token buckets in Redis, one per caller ({@code ratelimit:<bucket>}), so a launch rate holds across every API
 * node at once: a caller that spreads its launches over N nodes behind a load balancer gets the same rate as on
 * one. Time is Redis's own ({@code TIME}), so nodes whose clocks differ share one bucket correctly.
 */
public final class LaunchRateLimits {

    /** The answer for one launch: taken, or refused with the wait until a token is back. */
    public record Decision(boolean allowed, Duration retryAfter) {
    }

    /**
     * ARGV: key, capacity, tokens per minute. Returns {1, 0} (a token taken) or {0, ms until one is back}. The bucket
     * starts full and expires once it would be full again.
     */
    private static final LuaScript TAKE = new LuaScript("""
            if redis.replicate_commands then redis.replicate_commands() end
            local k, cap, per_min = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local h = redis.call('HMGET', k, 'tokens', 'at')
            local rate = per_min / 60000
            local tokens = tonumber(h[1]) or cap
            local at = tonumber(h[2]) or now
            if now > at then tokens = math.min(cap, tokens + (now - at) * rate) end
            local allowed, wait = 0, 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              wait = math.ceil((1 - tokens) / rate)
            end
            redis.call('HSET', k, 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', k, math.ceil((cap - tokens) / rate) + 1000)
            return {allowed, wait}
            """);

    private final RedisGateway redis;
    private final String prefix;

    LaunchRateLimits(RedisGateway redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * Takes one token from {@code bucket}'s bucket, which holds at most {@code burst} and refills {@code perMinute}
     * a minute.
     */
    public Decision take(String bucket, int perMinute, int burst) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 a minute and a burst of 1, was " + perMinute + "/" + burst);
        }
        List<?> reply = (List<?>) redis.run("taking a launch token", TAKE,
                List.of(prefix + "ratelimit:" + bucket, Integer.toString(burst), Integer.toString(perMinute)));
        return new Decision((Long) reply.get(0) == 1L, Duration.ofMillis((Long) reply.get(1)));
    }
}
