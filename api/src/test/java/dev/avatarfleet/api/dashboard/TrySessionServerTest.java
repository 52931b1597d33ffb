package dev.avatarfleet.api.dashboard;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.common.http.JsonReply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@code POST /try/session} on a real API node (real broker and redis-server): with API keys set it needs one;
 * it answers a fresh room and two tokens signed with the try-it server's secret, the page's a plain participant's
 * and the avatar's an agent's that publishes on the page's behalf (what {@code POST /launch} then checks); two
 * calls never share a room; the secret is in no answer.
 */
class TrySessionServerTest {

    private static final String SECRET = "try-secret-for-the-test";

    @Test
    void mintsARoomAndTokensTheLaunchAccepts() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 2, "http://127.0.0.1:1");
            ApiNode node = ApiNode.start(ApiSettings.from(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0", "API_KEYS", "k1")),
                    dev.avatarfleet.api.access.AccessSettings.from(Map.of()), new TryItSettings(URI.create("ws://127.0.0.1:7880"), "trykey", SECRET), fleet.controlPlane, Clock.systemUTC());
            try {
                assertEquals(401, fleet.post(node, "/try/session").statusCode(), "a key is needed when keys are set");
                HttpResponse<String> r = session(fleet, node);
                assertEquals(200, r.statusCode(), r.body());
                assertFalse(r.body().contains(SECRET));
                JsonNode s = JsonReply.MAPPER.readTree(r.body());
                String room = s.path("room_name").asText();
                assertEquals("ws://127.0.0.1:7880", s.path("livekit_url").asText());

                var verifier = JWT.require(Algorithm.HMAC256(SECRET)).withIssuer("trykey").build();
                DecodedJWT agent = verifier.verify(s.path("agent_token").asText());
                DecodedJWT avatar = verifier.verify(s.path("avatar_token").asText());
                assertEquals(s.path("agent_identity").asText(), agent.getSubject());
                assertEquals(s.path("avatar_identity").asText(), avatar.getSubject());
                assertEquals(room, agent.getClaim("video").asMap().get("room"));
                assertEquals(room, avatar.getClaim("video").asMap().get("room"));
                assertEquals("agent", avatar.getClaim("kind").asString());
                assertEquals(agent.getSubject(), avatar.getClaim("attributes").asMap().get("lk.publish_on_behalf"));

                // the avatar's token is what the page hands to POST /launch
                String launch = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + s.path("avatar_token").asText()
                        + "\",\"room_name\":\"" + room + "\"}";
                HttpResponse<String> launched = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer k1")
                        .POST(HttpRequest.BodyPublishers.ofString(launch)).build());
                assertEquals(200, launched.statusCode(), launched.body());

                JsonNode other = JsonReply.MAPPER.readTree(session(fleet, node).body());
                assertNotEquals(room, other.path("room_name").asText());
            } finally {
                node.close();
            }
        }
    }

    @Test
    void isNotFoundWhileTryItIsOff() {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node();
            HttpResponse<String> r = fleet.post(node, "/try/session");
            assertEquals(404, r.statusCode(), r.body());
        }
    }

    private static HttpResponse<String> session(FleetFixture fleet, ApiNode node) {
        return fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/try/session")).header("Authorization", "Bearer k1")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }
}
