package dev.avatarfleet.common.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

import dev.avatarfleet.common.config.FleetSettings;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * Avatar images in Redis, stored once by the SHA-256 of their bytes (many tasks share one avatar).
 * Each store or read renews the image's life to {@code IMAGE_TTL_SECONDS}; the worker holding an
 * active task renews its image every heartbeat, and a replay renews it too, so an image lives as
 * long as a task that needs it.
 */
public final class ImageStore {

    /** The largest image accepted (the API enforces its own, smaller limit first). */
    public static final int MAX_IMAGE_BYTES = 20 * 1024 * 1024;

    private final RedisGateway redis;
    private final String prefix;
    private final long ttlSeconds;

    public ImageStore(RedisGateway redis, FleetSettings settings) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = settings.keyPrefix();
        this.ttlSeconds = Math.max(1, settings.recovery().imageTtl().toSeconds());
    }

    /** Stores the bytes (once per content) and returns their SHA-256 hex. */
    public String put(byte[] image) {
        Objects.requireNonNull(image, "image");
        if (image.length == 0 || image.length > MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException("an image must be 1 to " + MAX_IMAGE_BYTES + " bytes, was " + image.length);
        }
        String hash = sha256(image);
        byte[] key = key(hash);
        redis.call("storing avatar image " + hash, c -> {
            // why: same hash = same bytes; only the expiry needs renewing when it exists
            if (c.expire(key, ttlSeconds) == 0) {
                c.set(key, image, SetParams.setParams().ex(ttlSeconds));
            }
            return null;
        });
        return hash;
    }

    /** The image with this hash, if stored. */
    public Optional<byte[]> get(String hash) {
        if (hash == null || !hash.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        byte[] bytes = redis.call("reading avatar image " + hash, c -> c.getEx(key(hash), GetExParams.getExParams().ex(ttlSeconds)));
        return Optional.ofNullable(bytes);
    }

    /** Renews the image's life; false when it is gone. */
    public boolean renew(String hash) {
        if (hash == null || !hash.matches("[0-9a-f]{64}")) {
            return false;
        }
        return redis.call("renewing avatar image " + hash, c -> c.expire(key(hash), ttlSeconds)) == 1L;
    }

    /** How long a stored image lives without being used. */
    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key(String hash) {
        return (prefix + "image:" + hash).getBytes(StandardCharsets.UTF_8);
    }
}
