package dev.avatarfleet.api.access;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.config.SettingsException;
import dev.avatarfleet.common.store.ApiKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API key this node accepts, wherever declared: {@code API_KEYS} (each key its own tenant), {@code API_KEYS_FILE}
 * and Redis ({@code apikey:<id>}), the last two read again every {@code API_KEYS_REFRESH_SECONDS}, so a key created or
 * revoked on one node counts on all of them without a restart.
 *
 * <p>With no key anywhere the node runs open. Once a key was stored in Redis the fleet stays closed when the last one
 * is revoked (the store's {@code apikeys:required}); {@code ops/stack key open} opens it again on purpose. Until Redis has been read once, a node with neither {@code API_KEYS} nor
 * a file cannot tell whether it is open: it is {@link Mode#UNKNOWN} and lets nobody in (fail closed).
 */
public final class KeyDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);
    /** why: a key's last use is for people ("is this key still used?"); once a minute is precise enough and costs nothing */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** Whether keys are required. */
    public enum Mode {
        /** No key is configured anywhere: every request is let in. */
        OPEN,
        /** Keys are configured: every guarded request needs one. */
        KEYS,
        /** Redis could not be read yet, and only Redis could hold keys: nobody is let in. */
        UNKNOWN;

        /** The word {@code /health} shows as {@code auth}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An {@code API_KEYS} key: held as a salted hash like the others; its record (and tenant) is made when first matched. */
    private static final class EnvKey {
        private final byte[] salt = new byte[16];
        private final byte[] hash;
        private final String key;
        private volatile ApiKey record;

        EnvKey(String key) {
            new SecureRandom().nextBytes(salt);
            this.hash = KeySecrets.hash(salt, key);
            // why: kept to fingerprint its tenant once the fleet's salt is known; it is in the environment anyway
            this.key = key;
        }

        boolean matches(String candidate) {
            return java.security.MessageDigest.isEqual(hash, KeySecrets.hash(salt, candidate));
        }
    }

    private final List<EnvKey> envKeys;
    private final KeyFile file;
    private final ApiKeyStore store;
    private final Fingerprints fingerprints;
    private final Clock clock;
    private final ScheduledExecutorService refresher;
    private final Map<String, Long> touched = new ConcurrentHashMap<>();
    private final Map<String, Long> pendingTouches = new ConcurrentHashMap<>();

    private volatile Map<String, ApiKey> fileKeys = Map.of();
    private volatile String fileText;
    private volatile Map<String, ApiKey> redisKeys = Map.of();
    private volatile boolean redisRequired;
    private volatile boolean redisRead;
    private volatile boolean redisFailing;

    /**
     * @param envKeys {@code API_KEYS}
     * @param file    {@code API_KEYS_FILE}, or null
     * @param store   the keys in Redis; null reads none (a test of the routing alone, without Redis)
     */
    public KeyDirectory(List<String> envKeys, KeyFile file, ApiKeyStore store, Fingerprints fingerprints, Clock clock) {
        this.envKeys = envKeys.stream().map(EnvKey::new).toList();
        this.file = file;
        this.store = store;
        this.fingerprints = fingerprints;
        this.clock = clock;
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("api-keys-refresh").factory());
        if (file != null) {
            try {
                loadFile();
            } catch (IOException | IllegalArgumentException e) {
                throw new SettingsException(AccessSettings.API_KEYS_FILE.name(), "(" + file.path() + ") cannot be read: " + e.getMessage());
            }
        }
    }

    /** Reads Redis once now, then both sources every {@code period}. */
    public KeyDirectory start(Duration period) {
        if (store == null) {
            return this;
        }
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether keys are required now. */
    public Mode mode() {
        if (!envKeys.isEmpty() || file != null || redisRequired || !redisKeys.isEmpty()) {
            return Mode.KEYS;
        }
        return redisRead || store == null ? Mode.OPEN : Mode.UNKNOWN;
    }

    /** The key among {@code offered} credentials (nulls and blanks skipped) that this node accepts, if any. */
    public Optional<ApiKey> authenticate(List<String> offered) {
        for (String candidate : offered) {
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            Optional<ApiKey> key = match(candidate.trim());
            if (key.isPresent()) {
                noteUse(key.get().id());
                return key;
            }
        }
        return Optional.empty();
    }

    private Optional<ApiKey> match(String candidate) {
        KeySecrets.Presented presented = KeySecrets.parse(candidate);
        if (presented != null) {
            ApiKey k = fileKeys.get(presented.id());
            if (k == null) {
                k = redisKeys.get(presented.id());
            }
            if (k != null && k.matches(presented.secret())) {
                return Optional.of(k);
            }
        }
        for (EnvKey e : envKeys) {
            if (e.matches(candidate)) {
                return Optional.of(recordOf(e));
            }
        }
        return Optional.empty();
    }

    private ApiKey recordOf(EnvKey e) {
        ApiKey r = e.record;
        if (r == null) {
            String tenant = fingerprints.tenantOfKey(e.key);
            r = new ApiKey(tenant.substring("key-".length(), "key-".length() + 12), tenant, false, e.salt, e.hash,
                    java.time.Instant.EPOCH, ApiKey.KeyLimits.DEFAULTS, "env");
            e.record = r;
        }
        return r;
    }

    private void noteUse(String id) {
        long now = clock.millis();
        Long last = touched.get(id);
        if (last == null || now - last >= TOUCH_EVERY.toMillis()) {
            touched.put(id, now);
            pendingTouches.put(id, now);
        }
    }

    /** One refresh: the file when it changed, Redis, and the last uses noted since. */
    void refresh() {
        if (file != null) {
            try {
                loadFile();
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("{} ({}) not reloaded, the keys read before stay: {}", AccessSettings.API_KEYS_FILE.name(), file.path(), e.getMessage());
            }
        }
        if (store == null) {
            return;
        }
        try {
            Map<String, ApiKey> keys = new HashMap<>();
            ApiKeyStore.Snapshot snapshot = store.snapshot();
            snapshot.keys().forEach((id, fields) -> {
                try {
                    keys.put(id, ApiKey.fromFields(id, fields, "redis"));
                } catch (RuntimeException e) {
                    LOG.error("API key {} in Redis is malformed and is not accepted: {}", id, e.getMessage());
                }
            });
            redisKeys = Map.copyOf(keys);
            redisRequired = snapshot.required();
            redisRead = true;
            if (redisFailing) {
                LOG.info("API keys in Redis read again ({} keys)", keys.size());
                redisFailing = false;
            }
            for (var touch : new ArrayList<>(pendingTouches.entrySet())) {
                store.touch(touch.getKey(), touch.getValue());
                pendingTouches.remove(touch.getKey(), touch.getValue());
            }
        } catch (RuntimeException e) {
            if (!redisFailing) {
                LOG.warn("API keys in Redis not read ({}); the keys read before stay until it answers", e.getMessage());
                redisFailing = true;
            }
        }
    }

    private void loadFile() throws IOException {
        String text = file.read();
        if (text.equals(fileText)) {
            return;
        }
        Map<String, ApiKey> keys = KeyFile.parse(text);
        boolean first = fileText == null;
        fileKeys = Map.copyOf(keys);
        fileText = text;
        if (!first) {
            LOG.info("{} reloaded: {} keys", AccessSettings.API_KEYS_FILE.name(), keys.size());
        }
    }

    /** How many keys of each origin this node holds, for its start line. */
    public String describe() {
        return envKeys.size() + " from API_KEYS, " + fileKeys.size() + " from API_KEYS_FILE, "
                + (redisRead ? Integer.toString(redisKeys.size()) : "?") + " in Redis";
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
