package dev.avatarfleet.common.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Random secrets the fleet's nodes share when the operator configured none ({@code LAUNCH_RECORD_KEY},
 * {@code FINGERPRINT_SALT}): the first node to ask draws one and stores it in Redis, every later ask (any node)
 * reads the same. Key {@code secret:<name>} (base64), never expired.
 *
 * <p>why Redis: it is the one store every node already shares; the secret is as safe as Redis is, and a Redis
 * that loses its data draws a new one (records sealed before then can no longer be opened). A fleet that
 * must survive that configures the secrets instead.
 */
public final class FleetSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** ARGV: key, candidate. The stored value, the candidate when there was none (SET NX and GET in one step). */
    private static final LuaScript GET_OR_SET = new LuaScript("""
            if redis.call('SET', ARGV[1], ARGV[2], 'NX') then return ARGV[2] end
            return redis.call('GET', ARGV[1])
            """);

    private final RedisGateway redis;
    private final String prefix;

    FleetSecrets(RedisGateway redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The fleet's secret {@code name}, {@code length} random bytes drawn by the first node that asked. */
    public byte[] getOrCreate(String name, int length) {
        byte[] candidate = new byte[length];
        RANDOM.nextBytes(candidate);
        String stored = (String) redis.run("reading the fleet secret " + name, GET_OR_SET,
                List.of(prefix + "secret:" + name, Base64.getEncoder().encodeToString(candidate)));
        byte[] value = Base64.getDecoder().decode(stored);
        if (value.length != length) {
            throw new IllegalStateException("the fleet secret " + name + " in Redis is " + value.length + " bytes, not " + length);
        }
        return value;
    }
}
