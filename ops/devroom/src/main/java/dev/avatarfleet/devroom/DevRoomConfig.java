package dev.avatarfleet.devroom;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one dev room server: where it listens, which API key and secret sign its tokens, and the
 * bounds that keep hostile clients from hurting other rooms.
 *
 * @param host             address to bind and to advertise in URLs (libwebrtc ignores loopback for media,
 *                         so media tests bind a non-loopback address)
 * @param port             TCP port for HTTP and WebSocket; 0 picks a free one
 * @param apiKey           API key, the {@code iss} of accepted tokens
 * @param apiSecret        HS256 secret of that key
 * @param allowedOrigins   browser origins allowed to open the signalling WebSocket; empty means same origin only
 * @param maxParticipants  participants per room
 * @param maxMessageBytes  largest signalling message accepted (binary or text, all frames together)
 * @param maxTracks        published tracks per participant
 * @param joinsPerSecond   joins accepted per second over the whole server
 * @param pingInterval     ping interval announced to clients
 * @param pingTimeout      a participant silent this long is removed
 * @param emptyRoomGrace   an empty room is closed after this long
 * @param clock            time source (tests inject a fixed one)
 */
public record DevRoomConfig(String host, int port, String apiKey, String apiSecret, Set<String> allowedOrigins,
                            int maxParticipants, int maxMessageBytes, int maxTracks, int joinsPerSecond,
                            Duration pingInterval, Duration pingTimeout, Duration emptyRoomGrace, Clock clock) {

    /** Default API key, as in {@code livekit-server --dev}. */
    public static final String DEFAULT_KEY = "devkey";
    /** Default API secret, as in {@code livekit-server --dev}. */
    public static final String DEFAULT_SECRET = "secret";
    /** Default port of LiveKit. */
    public static final int DEFAULT_PORT = 7880;
    static final int DEFAULT_MAX_PARTICIPANTS = 16;
    // why: a v0 offer with many transceivers is ~20 KB of SDP; 256 KiB leaves room and still bounds memory
    static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
    static final int DEFAULT_MAX_TRACKS = 8;
    // why: generous for test suites that churn sessions; a join storm still cannot starve the server
    static final int DEFAULT_JOINS_PER_SECOND = 100;

    /** Validates the settings. */
    public DevRoomConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        Objects.requireNonNull(clock, "clock");
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (apiKey.isBlank() || apiSecret.isBlank()) {
            throw new IllegalArgumentException("API key and secret must not be blank (LIVEKIT_API_KEY / LIVEKIT_API_SECRET)");
        }
        if (maxParticipants < 1 || maxMessageBytes < 1024 || maxTracks < 1 || joinsPerSecond < 1) {
            throw new IllegalArgumentException("bounds must be positive (message size at least 1024 bytes)");
        }
        if (pingTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("ping timeout must be longer than the ping interval");
        }
    }

    /**
     * Defaults for a server on {@code host}, a free port, key {@code devkey} and secret {@code secret}.
     *
     * @param host bind address
     * @return the config
     */
    public static DevRoomConfig defaults(String host) {
        return new DevRoomConfig(host, 0, DEFAULT_KEY, DEFAULT_SECRET, Set.of(), DEFAULT_MAX_PARTICIPANTS,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_TRACKS, DEFAULT_JOINS_PER_SECOND,
                Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(20), Clock.systemUTC());
    }

    public static final Setting<String> LIVEKIT_HOST = Setting.text("LIVEKIT_HOST", "127.0.0.1")
            .readBy(Node.DEVROOM).documentedAllowed("an address")
            .means("bind and advertised address. libwebrtc ignores loopback, so media needs a non-loopback address"
                    + " (signalling and data-free tests work on 127.0.0.1)");
    public static final Setting<Integer> LIVEKIT_PORT = Setting.integer("LIVEKIT_PORT", DEFAULT_PORT, 0, 65535)
            .readBy(Node.DEVROOM).means("HTTP + WebSocket port (`0` = any free port)");
    public static final Setting<String> LIVEKIT_API_KEY = Setting.text("LIVEKIT_API_KEY", DEFAULT_KEY)
            .readBy(Node.DEVROOM).means("the key that signs accepted tokens (their `iss`)");
    public static final Setting<String> LIVEKIT_API_SECRET = Setting.text("LIVEKIT_API_SECRET", DEFAULT_SECRET)
            .readBy(Node.DEVROOM).means("the HS256 secret of that key");
    public static final Setting<List<String>> DEVROOM_ALLOWED_ORIGINS = Setting.list("DEVROOM_ALLOWED_ORIGINS")
            .readBy(Node.DEVROOM)
            .means("comma list of browser origins allowed to open `/rtc` (empty: same origin only, Helidon's default)");

    /** Every setting {@link #fromEnvironment(Env)} reads, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(LIVEKIT_HOST, LIVEKIT_PORT, LIVEKIT_API_KEY, LIVEKIT_API_SECRET,
            DEVROOM_ALLOWED_ORIGINS);

    /**
     * The defaults with the {@link #SETTINGS} read from {@code env}.
     *
     * @param env environment
     * @return the config
     */
    public static DevRoomConfig fromEnvironment(Env env) {
        return defaults(env.get(LIVEKIT_HOST))
                .withPort(env.get(LIVEKIT_PORT))
                .withKey(env.get(LIVEKIT_API_KEY), env.get(LIVEKIT_API_SECRET))
                .withAllowedOrigins(Set.copyOf(env.get(DEVROOM_ALLOWED_ORIGINS)));
    }

    /** @param newPort port @return a copy with that port */
    public DevRoomConfig withPort(int newPort) {
        return new DevRoomConfig(host, newPort, apiKey, apiSecret, allowedOrigins, maxParticipants, maxMessageBytes,
                maxTracks, joinsPerSecond, pingInterval, pingTimeout, emptyRoomGrace, clock);
    }

    /** @param key API key @param secret API secret @return a copy with them */
    public DevRoomConfig withKey(String key, String secret) {
        return new DevRoomConfig(host, port, key, secret, allowedOrigins, maxParticipants, maxMessageBytes,
                maxTracks, joinsPerSecond, pingInterval, pingTimeout, emptyRoomGrace, clock);
    }

    /** @param origins browser origins @return a copy allowing them */
    public DevRoomConfig withAllowedOrigins(Set<String> origins) {
        return new DevRoomConfig(host, port, apiKey, apiSecret, origins, maxParticipants, maxMessageBytes,
                maxTracks, joinsPerSecond, pingInterval, pingTimeout, emptyRoomGrace, clock);
    }

    /**
     * @param participants per room @param messageBytes per message @param tracks per participant
     * @param joins per second
     * @return a copy with these bounds
     */
    public DevRoomConfig withBounds(int participants, int messageBytes, int tracks, int joins) {
        return new DevRoomConfig(host, port, apiKey, apiSecret, allowedOrigins, participants, messageBytes,
                tracks, joins, pingInterval, pingTimeout, emptyRoomGrace, clock);
    }

    /** @param interval ping interval @param timeout ping timeout @param grace empty-room grace @return a copy */
    public DevRoomConfig withTimes(Duration interval, Duration timeout, Duration grace) {
        return new DevRoomConfig(host, port, apiKey, apiSecret, allowedOrigins, maxParticipants, maxMessageBytes,
                maxTracks, joinsPerSecond, interval, timeout, grace, clock);
    }

    /** @param newClock clock @return a copy using it */
    public DevRoomConfig withClock(Clock newClock) {
        return new DevRoomConfig(host, port, apiKey, apiSecret, allowedOrigins, maxParticipants, maxMessageBytes,
                maxTracks, joinsPerSecond, pingInterval, pingTimeout, emptyRoomGrace, newClock);
    }
}
