package dev.avatarfleet.common.secret;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.avatarfleet.common.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch record keys this process knows: the one it seals with, and every one it has seen, by id, to open
 * records sealed by other nodes or before a key change.
 *
 * <p>Where the sealing key comes from, first found: {@code LAUNCH_RECORD_KEY} ({@link #configure}); else the
 * fleet's key drawn into Redis, from the newest open connection to the fleet's state ({@link #addSource}, fetched
 * on first use); else, in a process with neither (a test of the log alone), a key of its own, with a warning.
 *
 * <p>why one per process: the launch record is encoded and decoded where only the record is at hand
 * ({@code LaunchRecords.encode/decode}, called from the log, the store and the claimer), and a process is one node
 * of one fleet.
 */
public final class LaunchRecordKeys {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchRecordKeys.class);
    private static final LaunchRecordKeys PROCESS = new LaunchRecordKeys();

    /** A lazily fetched key: the fleet's key in Redis, fetched once it is first needed, then kept. */
    public final class Source implements AutoCloseable {
        private final Supplier<byte[]> fetch;
        private volatile LaunchRecordKey key;

        private Source(Supplier<byte[]> fetch) {
            this.fetch = fetch;
        }

        LaunchRecordKey key() {
            LaunchRecordKey k = key;
            if (k == null) {
                k = LaunchRecordKey.of(fetch.get());
                known.put(k.id(), k);
                key = k;
            }
            return k;
        }

        /** This source is no longer asked (its connection closed); the key it gave stays known for opening. */
        @Override
        public void close() {
            sources.remove(this);
        }
    }

    private final Map<String, LaunchRecordKey> known = new ConcurrentHashMap<>();
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private volatile LaunchRecordKey configured;
    private volatile LaunchRecordKey ownKey;

    LaunchRecordKeys() {
    }

    /** This process's keys. */
    public static LaunchRecordKeys process() {
        return PROCESS;
    }

    /**
     * Reads {@code LAUNCH_RECORD_KEY} at a node's start: the key to seal with, or, unset, a warning that the fleet's
     * key drawn into Redis is used.
     */
    public static void configureFrom(Env env, String node) {
        Optional<LaunchRecordKey> key = LaunchRecordKey.fromEnvironment(env);
        if (key.isPresent()) {
            PROCESS.configure(key.get());
            LOG.info("{}: LiveKit tokens in launch records are sealed under LAUNCH_RECORD_KEY (key id {})", node, key.get().id());
        } else {
            LOG.warn("{}: LAUNCH_RECORD_KEY is not set: LiveKit tokens in launch records are sealed under a key drawn into"
                    + " Redis (secret:launch-record-key), as safe as Redis is; a Redis that loses its data loses it and the"
                    + " records sealed before can no longer be replayed. Set the same LAUNCH_RECORD_KEY on every node"
                    + " (openssl rand -base64 32)", node);
        }
    }

    /** The configured key: it seals from now on. */
    public void configure(LaunchRecordKey key) {
        known.put(key.id(), key);
        configured = key;
    }

    /** A fleet's key, fetched when first needed; the newest open source seals when no key is configured. */
    public Source addSource(Supplier<byte[]> fetch) {
        Source source = new Source(fetch);
        sources.add(source);
        return source;
    }

    /** The key to seal with now. */
    public LaunchRecordKey sealing() {
        LaunchRecordKey k = configured;
        if (k != null) {
            return k;
        }
        List<Source> open = new ArrayList<>(sources);
        if (!open.isEmpty()) {
            return open.get(open.size() - 1).key();
        }
        return ownKey();
    }

    /** The key with this id, asking the open sources once when it is not known yet. */
    public Optional<LaunchRecordKey> byId(String id) {
        LaunchRecordKey k = known.get(id);
        if (k != null) {
            return Optional.of(k);
        }
        for (Source s : sources) {
            try {
                if (s.key().id().equals(id)) {
                    return Optional.of(s.key());
                }
            } catch (RuntimeException e) {
                LOG.debug("a launch record key source could not be read: {}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    private synchronized LaunchRecordKey ownKey() {
        if (ownKey == null) {
            byte[] bytes = new byte[LaunchRecordKey.BYTES];
            new SecureRandom().nextBytes(bytes);
            ownKey = LaunchRecordKey.of(bytes);
            known.put(ownKey.id(), ownKey);
            LOG.warn("no LAUNCH_RECORD_KEY and no connection to the fleet's state: launch records are sealed under a key of"
                    + " this process only (key id {}); no other process can open them", ownKey.id());
        }
        return ownKey;
    }
}
