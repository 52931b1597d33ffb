package dev.avatarfleet.devroom;

import dev.avatarfleet.devroom.auth.Grants;
import dev.avatarfleet.devroom.auth.TokenRejected;
import dev.avatarfleet.devroom.auth.TokenVerifier;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenMainTest {
    private final TokenVerifier verifier = new TokenVerifier("devkey", "secret", Clock.systemUTC());

    @Test
    void printsAnAgentTokenWithAttributes() throws TokenRejected {
        Grants g = verifier.verify(TokenMain.token(new String[] {"--room", "r1", "--identity", "bithuman-avatar-agent",
                "--name", "Avatar", "--agent", "--attribute", "lk.publish_on_behalf=agent-1", "--ttl", "60"}));
        assertEquals("r1", g.room());
        assertEquals("bithuman-avatar-agent", g.identity());
        assertEquals("Avatar", g.name());
        assertTrue(g.agent() && g.roomJoin() && g.canPublish() && g.canSubscribe() && g.canPublishData());
        assertEquals("agent-1", g.attributes().get("lk.publish_on_behalf"));
        assertFalse(g.roomAdmin());
    }

    @Test
    void adminAndOtherKeys() throws TokenRejected {
        Grants g = verifier.verify(TokenMain.token(new String[] {"--room", "r1", "--identity", "ops", "--admin"}));
        assertTrue(g.roomAdmin() && g.roomList());
        String other = TokenMain.token(new String[] {"--room", "r", "--identity", "a", "--key", "k2", "--secret", "s2"});
        assertThrows(TokenRejected.class, () -> verifier.verify(other));
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TokenMain.token(new String[] {"--room", "r"}));
        assertThrows(IllegalArgumentException.class, () -> TokenMain.token(new String[] {"--room", "r", "--identity"}));
        assertThrows(IllegalArgumentException.class,
                () -> TokenMain.token(new String[] {"--room", "r", "--identity", "a", "--attribute", "novalue"}));
        assertThrows(IllegalArgumentException.class,
                () -> TokenMain.token(new String[] {"--room", "r", "--identity", "a", "--ttl", "soon"}));
    }
}
