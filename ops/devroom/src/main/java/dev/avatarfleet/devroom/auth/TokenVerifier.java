package dev.avatarfleet.devroom.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies HS256 LiveKit access tokens against one API key and secret ({@code iss} must be the key), the way
 * livekit-server's {@code pkg/service/auth.go} does, and turns the claims into {@link Grants}.
 */
public final class TokenVerifier {
    // why: a token is a header value or query parameter; anything longer than this is an attack, not a grant
    static final int MAX_TOKEN_CHARS = 8 * 1024;
    private final String apiKey;
    private final Algorithm algorithm;
    private final Clock clock;

    /**
     * @param apiKey    accepted {@code iss}
     * @param apiSecret HS256 secret
     * @param clock     time for {@code exp}/{@code nbf}
     */
    public TokenVerifier(String apiKey, String apiSecret, Clock clock) {
        this.apiKey = apiKey;
        this.algorithm = Algorithm.HMAC256(apiSecret);
        this.clock = clock;
    }

    /**
     * @param token the JWT
     * @return its grants
     * @throws TokenRejected when it is missing, malformed, wrongly signed, from another key, expired or not yet valid
     */
    public Grants verify(String token) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected("no authorization token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejected("authorization token too long");
        }
        DecodedJWT jwt;
        try {
            DecodedJWT unverified = JWT.decode(token);
            if (!apiKey.equals(unverified.getIssuer())) {
                throw new TokenRejected("unknown API key");
            }
            jwt = ((com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(apiKey))
                    .build(clock).verify(unverified);
        } catch (JWTVerificationException e) {
            throw new TokenRejected("invalid token: " + e.getMessage());
        }
        return grantsOf(jwt);
    }

    private static Grants grantsOf(DecodedJWT jwt) throws TokenRejected {
        Map<String, Object> video = jwt.getClaim("video").isMissing() || jwt.getClaim("video").isNull()
                ? Map.of() : jwt.getClaim("video").asMap();
        if (video == null) {
            throw new TokenRejected("invalid token: video grant is not an object");
        }
        boolean canPublish = flag(video, "canPublish", true);
        Map<String, String> attributes = new LinkedHashMap<>();
        Claim attrs = jwt.getClaim("attributes");
        if (!attrs.isMissing() && !attrs.isNull()) {
            Map<String, Object> raw = attrs.asMap();
            if (raw == null) {
                throw new TokenRejected("invalid token: attributes is not an object");
            }
            raw.forEach((k, v) -> attributes.put(k, String.valueOf(v)));
        }
        String subject = jwt.getSubject() == null ? "" : jwt.getSubject();
        return new Grants(subject, text(jwt, "name"), "agent".equals(text(jwt, "kind")), text(jwt, "metadata"),
                attributes, video.get("room") instanceof String r ? r : "", flag(video, "roomJoin", false),
                canPublish, flag(video, "canSubscribe", true), flag(video, "canPublishData", canPublish),
                flag(video, "canUpdateOwnMetadata", false), flag(video, "roomAdmin", false),
                flag(video, "roomList", false));
    }

    private static boolean flag(Map<String, Object> video, String key, boolean absent) {
        return video.get(key) instanceof Boolean b ? b : absent;
    }

    private static String text(DecodedJWT jwt, String claim) {
        String value = jwt.getClaim(claim).asString();
        return value == null ? "" : value;
    }
}
