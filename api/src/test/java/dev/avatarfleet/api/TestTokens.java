package dev.avatarfleet.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** LiveKit access tokens for tests, shaped like the bitHuman plugin's (livekit-api AccessToken). */
public final class TestTokens {
    public static final String KEY = "devkey";
    public static final String SECRET = "secret";

    private TestTokens() {
    }

    /** The plugin's avatar token: identity, kind=agent, room grant with publish/subscribe/data, 6 h TTL. */
    public static String avatar(String room, String identity) {
        return token(room, identity, Instant.now().plusSeconds(6 * 3600));
    }

    public static String token(String room, String identity, Instant expiry) {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("roomJoin", true);
        video.put("room", room);
        video.put("canPublish", true);
        video.put("canSubscribe", true);
        video.put("canPublishData", true);
        return JWT.create()
                .withIssuer(KEY)
                .withSubject(identity)
                .withClaim("name", identity)
                .withClaim("kind", "agent")
                .withNotBefore(Instant.now().minusSeconds(5))
                .withExpiresAt(expiry)
                .withClaim("video", video)
                .withClaim("attributes", Map.of("lk.publish_on_behalf", "agent-1", "api_secret", "s3cret"))
                .sign(Algorithm.HMAC256(SECRET));
    }

    /** A token with an arbitrary payload (for the malformed cases). */
    public static String withVideo(String identity, Map<String, Object> video) {
        return JWT.create().withIssuer(KEY).withSubject(identity).withExpiresAt(Instant.now().plusSeconds(600))
                .withClaim("video", video).sign(Algorithm.HMAC256(SECRET));
    }
}
