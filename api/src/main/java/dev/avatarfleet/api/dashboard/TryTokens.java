package dev.avatarfleet.api.dashboard;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LiveKit access tokens for the try-it page (HS256, {@code iss} = the key, {@code sub} = the identity, a room
 * grant), as {@code livekit-api}'s AccessToken writes them: one for the page, which plays the agent, and one for
 * the avatar, which the page hands to {@code POST /launch} exactly as the bitHuman plugin does (kind agent,
 * {@code lk.publish_on_behalf} = the page's identity).
 */
final class TryTokens {

    static final Duration TTL = Duration.ofHours(1);

    private final TryItSettings settings;
    private final Clock clock;

    TryTokens(TryItSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The page's token: it joins, subscribes and sends the agent's speech as data. */
    String agent(String room, String identity) {
        return mint(room, identity, false, Map.of());
    }

    /** The avatar's token, for {@code POST /launch}. */
    String avatar(String room, String identity, String agentIdentity) {
        return mint(room, identity, true, Map.of("lk.publish_on_behalf", agentIdentity));
    }

    private String mint(String room, String identity, boolean agentKind, Map<String, String> attributes) {
        Instant now = clock.instant();
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("roomJoin", true);
        video.put("room", room);
        video.put("canPublish", true);
        video.put("canSubscribe", true);
        video.put("canPublishData", true);
        var token = JWT.create()
                .withIssuer(settings.apiKey())
                .withSubject(identity)
                .withClaim("name", identity)
                .withNotBefore(now.minusSeconds(5))
                .withExpiresAt(now.plus(TTL))
                .withClaim("video", video);
        if (agentKind) {
            token.withClaim("kind", "agent");
        }
        if (!attributes.isEmpty()) {
            token.withClaim("attributes", Map.<String, Object>copyOf(attributes));
        }
        return token.sign(Algorithm.HMAC256(settings.apiSecret()));
    }
}
