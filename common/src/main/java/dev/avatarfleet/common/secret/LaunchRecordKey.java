package dev.avatarfleet.common.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsException;

/**
 * The AES-256 key the LiveKit token is sealed under in every launch record, shared by all nodes of a fleet, and
 * its id: the first 8 hex digits of a SHA-256 over it, written beside each sealed token so a node holding several
 * keys knows which opens it. {@link #toString()} never shows the key.
 *
 * @param id  the key's id
 * @param key 32 bytes
 */
public record LaunchRecordKey(String id, byte[] key) {

    public static final int BYTES = 32;

    public static final Setting<String> LAUNCH_RECORD_KEY = Setting.text("LAUNCH_RECORD_KEY", null)
            .readBy(Node.API, Node.WORKER)
            .documentedAllowed("base64 of 32 bytes")
            .documentedDefault("(unset: drawn once into Redis)")
            .means("the AES-256-GCM key the LiveKit token is sealed under in the launch records (Kafka, and Redis while a"
                    + " task waits), the same on every node (`openssl rand -base64 32`; `ops/stack` makes one). Unset: the"
                    + " first node draws one and keeps it in Redis (`secret:launch-record-key`), with a warning at each start:"
                    + " as safe as Redis, and a Redis that loses its data loses it, and the records sealed under it can no"
                    + " longer be replayed. Never logged");

    /** Every setting of this class, for the README. */
    public static final List<Setting<?>> SETTINGS = List.of(LAUNCH_RECORD_KEY);

    public LaunchRecordKey {
        if (key == null || key.length != BYTES) {
            throw new IllegalArgumentException("a launch record key is " + BYTES + " bytes");
        }
        key = key.clone();
    }

    /** The key with its id. */
    public static LaunchRecordKey of(byte[] key) {
        return new LaunchRecordKey(idOf(key), key);
    }

    /** {@link #LAUNCH_RECORD_KEY}, when set; a value that is not base64 of 32 bytes stops the start with the name. */
    public static Optional<LaunchRecordKey> fromEnvironment(Env env) {
        String text = env.get(LAUNCH_RECORD_KEY);
        if (text == null) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // why: the message must not echo the value, a secret however malformed
            throw new SettingsException(LAUNCH_RECORD_KEY.name(), "must be base64 (openssl rand -base64 32)");
        }
        if (bytes.length != BYTES) {
            throw new SettingsException(LAUNCH_RECORD_KEY.name(), "must be " + BYTES + " bytes in base64, was " + bytes.length + " bytes");
        }
        return Optional.of(of(bytes));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaunchRecordKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "LaunchRecordKey[id=" + id + "]";
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("avatar-fleet launch record key id:".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
