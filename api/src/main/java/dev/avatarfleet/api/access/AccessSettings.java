package dev.avatarfleet.api.access;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsException;

/**
 * Who may use the API node and how much: where keys are declared beside {@code API_KEYS}, the launch rate and
 * session quota defaults, the proxies whose {@code X-Forwarded-For} is believed, the fingerprint salt. Each
 * setting is declared once, below.
 *
 * @param keysFile           {@link #API_KEYS_FILE}, or null
 * @param keysRefresh        {@link #API_KEYS_REFRESH_SECONDS}
 * @param trustedProxies     {@link #API_TRUSTED_PROXIES}
 * @param launchRate         {@link #LAUNCH_RATE_PER_MINUTE}, {@link #LAUNCH_RATE_BURST}
 * @param tenantMaxSessions  {@link #TENANT_MAX_SESSIONS}
 * @param fingerprintSalt    {@link #FINGERPRINT_SALT}, or null (drawn into Redis)
 */
public record AccessSettings(
        Path keysFile,
        Duration keysRefresh,
        TrustedProxies trustedProxies,
        LaunchRate launchRate,
        int tenantMaxSessions,
        byte[] fingerprintSalt) {

    /** A launch rate: {@code perMinute} refilled into a bucket of {@code burst}; {@code perMinute} 0 is no limit. */
    public record LaunchRate(int perMinute, int burst) {
        public boolean limited() {
            return perMinute > 0;
        }
    }

    public static final Setting<Path> API_KEYS_FILE = Setting.path("API_KEYS_FILE")
            .readBy(Node.API)
            .means("a file of hashed API keys (README, \"Keys and tenants\"; `ops/stack key create --file`), read again within"
                    + " `API_KEYS_REFRESH_SECONDS` of a change, no restart. Set, even empty, it means keys are required");
    public static final Setting<Duration> API_KEYS_REFRESH_SECONDS = Setting.seconds("API_KEYS_REFRESH_SECONDS", 2, 1, 300)
            .readBy(Node.API).means("how often the keys in Redis and `API_KEYS_FILE` are read again: a new or revoked key counts"
                    + " on every node within this");
    public static final Setting<List<String>> API_TRUSTED_PROXIES = Setting.list("API_TRUSTED_PROXIES")
            .readBy(Node.API).documentedAllowed("comma list of addresses and CIDRs")
            .means("reverse proxies whose `X-Forwarded-For` names the client (for the per-address launch rate of a node without"
                    + " keys); from any other peer the header is ignored");
    public static final Setting<Integer> LAUNCH_RATE_PER_MINUTE = Setting.integer("LAUNCH_RATE_PER_MINUTE", 600, 0, 1_000_000)
            .readBy(Node.API).means("launches a minute per key (per client address when no keys are configured), fleet-wide"
                    + " (a bucket in Redis); over it: 429 `rate_limited` with `Retry-After`. 0: no limit. A key may carry its own");
    // why: generous defaults bound a runaway client without touching a real fleet (a burst of 100 agents starting at once)
    public static final Setting<Integer> LAUNCH_RATE_BURST = Setting.integer("LAUNCH_RATE_BURST", 100, 1, 1_000_000)
            .readBy(Node.API).means("launches a key may make at once before the rate applies (the bucket's size)");
    public static final Setting<Integer> TENANT_MAX_SESSIONS = Setting.integer("TENANT_MAX_SESSIONS", 0, 0, 1_000_000)
            .readBy(Node.API).means("pending and running sessions per tenant, checked atomically at admission; over it: 429"
                    + " `quota_exceeded` with `Retry-After`. 0: no quota (the fleet's capacity bounds). A key may carry its own");
    public static final Setting<String> FINGERPRINT_SALT = Setting.text("FINGERPRINT_SALT", null)
            .readBy(Node.API).documentedAllowed("base64 of 16 or more bytes").documentedDefault("(unset: drawn once into Redis)")
            .means("the salt of every fingerprint of a secret (`billing_key_id`, the tenant of an `API_KEYS` key), the same on"
                    + " every API node. Unset: drawn once into Redis (`secret:fingerprint-salt`). Never logged");

    /** Every setting of this record, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(API_KEYS_FILE, API_KEYS_REFRESH_SECONDS, API_TRUSTED_PROXIES,
            LAUNCH_RATE_PER_MINUTE, LAUNCH_RATE_BURST, TENANT_MAX_SESSIONS, FINGERPRINT_SALT);

    public AccessSettings {
        fingerprintSalt = fingerprintSalt == null ? null : fingerprintSalt.clone();
    }

    public static AccessSettings fromEnvironment(Env env) {
        return new AccessSettings(
                env.get(API_KEYS_FILE),
                env.get(API_KEYS_REFRESH_SECONDS),
                TrustedProxies.parse(API_TRUSTED_PROXIES.name(), env.get(API_TRUSTED_PROXIES)),
                new LaunchRate(env.get(LAUNCH_RATE_PER_MINUTE), env.get(LAUNCH_RATE_BURST)),
                env.get(TENANT_MAX_SESSIONS),
                salt(env.get(FINGERPRINT_SALT)));
    }

    /** Settings from a map shaped like the environment (tests pass their own). */
    public static AccessSettings from(Map<String, String> vars) {
        return fromEnvironment(new Env(vars));
    }

    private static byte[] salt(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(FINGERPRINT_SALT.name(), "must be base64 (openssl rand -base64 32)");
        }
        if (bytes.length < 16) {
            throw new SettingsException(FINGERPRINT_SALT.name(), "must be 16 or more bytes in base64, was " + bytes.length);
        }
        return bytes;
    }

    @Override
    public byte[] fingerprintSalt() {
        return fingerprintSalt == null ? null : fingerprintSalt.clone();
    }

    /** why: records print every field; the salt must never reach a log. */
    @Override
    public String toString() {
        return "AccessSettings[keysFile=" + keysFile + ", keysRefresh=" + keysRefresh + ", trustedProxies=" + trustedProxies
                + ", launchRate=" + launchRate + ", tenantMaxSessions=" + tenantMaxSessions
                + ", fingerprintSalt=" + (fingerprintSalt == null ? "unset" : "set") + "]";
    }
}
