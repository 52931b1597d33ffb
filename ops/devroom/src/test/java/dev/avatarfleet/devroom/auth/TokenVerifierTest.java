package dev.avatarfleet.devroom.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.avatarfleet.devroom.DevRoomTokens;
import dev.avatarfleet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenVerifier verifier = new TokenVerifier("devkey", "secret", clock);

    private String sign(String key, String secret, Map<String, Object> video, Instant exp) {
        return JWT.create().withIssuer(key).withSubject("alice").withClaim("video", video)
                .withNotBefore(Date.from(clock.instant().minusSeconds(1))).withExpiresAt(Date.from(exp))
                .sign(Algorithm.HMAC256(secret));
    }

    @Test
    void mintedParticipantTokenCarriesEveryClaim() throws TokenRejected {
        String token = JWT.create().withIssuer("devkey").withSubject("bithuman-avatar-agent")
                .withClaim("name", "Avatar").withClaim("kind", "agent").withClaim("metadata", "{}")
                .withClaim("attributes", Map.of("lk.publish_on_behalf", "agent-1"))
                .withClaim("video", Map.of("roomJoin", true, "room", "r1"))
                .withExpiresAt(Date.from(clock.instant().plusSeconds(60))).sign(Algorithm.HMAC256("secret"));
        Grants g = verifier.verify(token);
        assertEquals("bithuman-avatar-agent", g.identity());
        assertEquals("Avatar", g.name());
        assertTrue(g.agent());
        assertEquals("agent-1", g.attributes().get("lk.publish_on_behalf"));
        assertEquals("r1", g.room());
        assertTrue(g.roomJoin());
        // LiveKit defaults (livekit-protocol.md §3.7): publish and subscribe true, data follows publish
        assertTrue(g.canPublish());
        assertTrue(g.canSubscribe());
        assertTrue(g.canPublishData());
        assertFalse(g.roomAdmin());
    }

    @Test
    void publishDataFollowsCanPublishWhenAbsent() throws TokenRejected {
        Grants g = verifier.verify(sign("devkey", "secret",
                Map.of("roomJoin", true, "room", "r", "canPublish", false), clock.instant().plusSeconds(60)));
        assertFalse(g.canPublish());
        assertFalse(g.canPublishData());
        assertTrue(g.canSubscribe());
    }

    @Test
    void refusesWrongSecretUnknownKeyGarbageAndBlank() {
        Map<String, Object> video = Map.of("roomJoin", true, "room", "r");
        Instant exp = clock.instant().plusSeconds(60);
        assertThrows(TokenRejected.class, () -> verifier.verify(sign("devkey", "other", video, exp)));
        assertThrows(TokenRejected.class, () -> verifier.verify(sign("otherkey", "secret", video, exp)));
        assertThrows(TokenRejected.class, () -> verifier.verify("a.b.c"));
        assertThrows(TokenRejected.class, () -> verifier.verify(""));
        assertThrows(TokenRejected.class, () -> verifier.verify("x".repeat(10_000)));
    }

    @Test
    void refusesExpiredAndNotYetValidTokensByTheInjectedClock() throws TokenRejected {
        String minted = DevRoomTokens.forServer(dev.avatarfleet.devroom.DevRoomConfig.defaults("127.0.0.1").withClock(clock))
                .participant("r", "a").ttl(Duration.ofSeconds(60)).mint();
        assertEquals("r", verifier.verify(minted).room());
        String shortLived = sign("devkey", "secret", Map.of("roomJoin", true, "room", "r"), clock.instant().plusSeconds(30));
        verifier.verify(shortLived);
        clock.advance(Duration.ofMinutes(5));
        assertThrows(TokenRejected.class, () -> verifier.verify(shortLived));
        assertThrows(TokenRejected.class, () -> verifier.verify(minted));
        String future = JWT.create().withIssuer("devkey").withSubject("a")
                .withNotBefore(Date.from(clock.instant().plusSeconds(3600)))
                .withExpiresAt(Date.from(clock.instant().plusSeconds(7200))).sign(Algorithm.HMAC256("secret"));
        assertThrows(TokenRejected.class, () -> verifier.verify(future));
    }
}
