package dev.avatarfleet.devroom;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Mints LiveKit access tokens (HS256, {@code iss} = API key) for tests and for {@link TokenMain}. The claims are
 * the ones livekit-server reads: {@code sub}, {@code name}, {@code kind}, {@code metadata}, {@code attributes}
 * and the {@code video} grant.
 *
 * <pre>{@code
 * String jwt = DevRoomTokens.create("devkey", "secret").participant("room-1", "alice").agent(true).mint();
 * }</pre>
 */
public final class DevRoomTokens {
    private final String apiKey;
    private final Algorithm algorithm;
    private final Clock clock;

    private DevRoomTokens(String apiKey, String apiSecret, Clock clock) {
        this.apiKey = Objects.requireNonNull(apiKey);
        this.algorithm = Algorithm.HMAC256(Objects.requireNonNull(apiSecret));
        this.clock = clock;
    }

    /** @param apiKey key @param apiSecret secret @return a minter using the system clock */
    public static DevRoomTokens create(String apiKey, String apiSecret) {
        return new DevRoomTokens(apiKey, apiSecret, Clock.systemUTC());
    }

    /** @param config server config @return a minter for that server's key */
    public static DevRoomTokens forServer(DevRoomConfig config) {
        return new DevRoomTokens(config.apiKey(), config.apiSecret(), config.clock());
    }

    /**
     * A participant token: join {@code room}, publish, subscribe and publish data, valid for 6 hours.
     *
     * @param room     room name
     * @param identity participant identity
     * @return a builder to refine and {@link Token#mint()}
     */
    public Token participant(String room, String identity) {
        Token t = new Token(identity);
        t.video.put("roomJoin", true);
        t.video.put("room", room);
        t.video.put("canPublish", true);
        t.video.put("canSubscribe", true);
        t.video.put("canPublishData", true);
        return t;
    }

    /**
     * An admin token for RoomService: {@code roomAdmin} on {@code room} (may be empty) plus {@code roomList}.
     *
     * @param room room to administer
     * @return a builder
     */
    public Token admin(String room) {
        Token t = new Token("admin");
        t.video.put("roomAdmin", true);
        t.video.put("roomList", true);
        t.video.put("roomCreate", true);
        if (!room.isEmpty()) {
            t.video.put("room", room);
        }
        return t;
    }

    /** A token being built; every setter returns this. */
    public final class Token {
        private final String identity;
        private final Map<String, Object> video = new LinkedHashMap<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private String name;
        private String metadata;
        private boolean agent;
        private Duration ttl = Duration.ofHours(6);
        private Instant notBefore;

        private Token(String identity) {
            this.identity = identity;
        }

        /** @param value display name @return this */
        public Token name(String value) {
            this.name = value;
            return this;
        }

        /** @param value metadata @return this */
        public Token metadata(String value) {
            this.metadata = value;
            return this;
        }

        /** @param value whether {@code kind} is "agent" @return this */
        public Token agent(boolean value) {
            this.agent = value;
            return this;
        }

        /** @param key attribute @param value value @return this */
        public Token attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        /** @param value time to live (may be negative to mint an expired token) @return this */
        public Token ttl(Duration value) {
            this.ttl = value;
            return this;
        }

        /** @param value {@code nbf} @return this */
        public Token notBefore(Instant value) {
            this.notBefore = value;
            return this;
        }

        /** @param grant a {@code video} grant key @param value its value @return this */
        public Token grant(String grant, Object value) {
            video.put(grant, value);
            return this;
        }

        /** @return the signed JWT */
        public String mint() {
            Instant now = clock.instant();
            JWTCreator.Builder b = JWT.create().withIssuer(apiKey).withSubject(identity)
                    .withNotBefore(notBefore == null ? now.minusSeconds(1) : notBefore)
                    .withExpiresAt(now.plus(ttl)).withClaim("video", video);
            if (name != null) {
                b.withClaim("name", name);
            }
            if (metadata != null) {
                b.withClaim("metadata", metadata);
            }
            if (agent) {
                b.withClaim("kind", "agent");
            }
            if (!attributes.isEmpty()) {
                b.withClaim("attributes", Map.copyOf(attributes));
            }
            return b.sign(algorithm);
        }
    }
}
