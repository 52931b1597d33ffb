package dev.avatarfleet.api.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LiveKitTokenTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsIdentityRoomAndExpiry() {
        String jwt = TestTokens.token("room", "bithuman-avatar-agent", NOW.plusSeconds(60));
        LiveKitToken token = LiveKitToken.check(jwt, "room", CLOCK);
        assertEquals("bithuman-avatar-agent", token.identity());
        assertEquals("room", token.room());
        assertEquals(NOW.plusSeconds(60).getEpochSecond(), token.expiresAtEpochSecond());
    }

    @Test
    void expiresExactlyAtExp() {
        String jwt = TestTokens.token("room", "a", NOW);
        ApiException e = assertThrows(ApiException.class, () -> LiveKitToken.check(jwt, "room", CLOCK));
        assertEquals("token_expired", e.code());
        LiveKitToken.check(jwt, "room", Clock.fixed(NOW.minusSeconds(1), ZoneOffset.UTC));
    }

    @Test
    void aTokenValidOnlyLaterIsRefusedBeyondTheLeeway() {
        String later = com.auth0.jwt.JWT.create().withSubject("a").withNotBefore(NOW.plusSeconds(600))
                .withExpiresAt(NOW.plusSeconds(3600)).withClaim("video", java.util.Map.of("roomJoin", true, "room", "room"))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("secret"));
        ApiException e = assertThrows(ApiException.class, () -> LiveKitToken.check(later, "room", CLOCK));
        assertEquals("invalid_token", e.code());
        LiveKitToken.check(later, "room", Clock.fixed(NOW.plusSeconds(590), ZoneOffset.UTC));
    }

    @Test
    void roomMustMatchExactly() {
        String jwt = TestTokens.token("Room", "a", NOW.plusSeconds(60));
        ApiException e = assertThrows(ApiException.class, () -> LiveKitToken.check(jwt, "room", CLOCK));
        assertEquals("room_mismatch", e.code());
        assertEquals(400, e.status().code());
    }

    @Test
    void overlongTokensAreRefusedBeforeDecoding() {
        ApiException e = assertThrows(ApiException.class,
                () -> LiveKitToken.check("a".repeat(LiveKitToken.MAX_TOKEN_CHARS + 1), "room", CLOCK));
        assertEquals("invalid_token", e.code());
    }

    @Test
    void claimTimesBeyondWhatAnInstantHoldsAreRefusedWithA400NotAnException() {
        // why: found by LiveKitTokenFuzzTest in CI; -1e300 and 1e300 read as Long.MIN_VALUE and Long.MAX_VALUE
        String expired = com.auth0.jwt.JWT.create().withSubject("a").withClaim("exp", -1e300)
                .withClaim("video", java.util.Map.of("roomJoin", true, "room", "room"))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("secret"));
        ApiException e = assertThrows(ApiException.class, () -> LiveKitToken.check(expired, "room", CLOCK));
        assertEquals("token_expired", e.code());
        assertEquals("livekit_token expired at epoch second " + Long.MIN_VALUE, e.reason());
        String later = com.auth0.jwt.JWT.create().withSubject("a").withClaim("nbf", 1e300)
                .withClaim("video", java.util.Map.of("roomJoin", true, "room", "room"))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("secret"));
        assertEquals(400, assertThrows(ApiException.class, () -> LiveKitToken.check(later, "room", CLOCK)).status().code());
    }
}
