package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * {@code POST /try/session}: a fresh room on the try-it LiveKit server ({@code TRY_LIVEKIT_URL}) with a token for
 * the page (the agent) and one for the avatar, which the page then launches through {@code POST /launch} like
 * any agent. 404 when try-it is off; the API key when keys are set.
 * <pre>
 * curl -X POST http://localhost:8089/try/session -H "Authorization: Bearer $KEY"
 * {"livekit_url":"ws://10.0.0.5:7880","room_name":"try-1a2b3c4d","agent_identity":"try-agent-1a2b3c4d","agent_token":"...",
 *  "avatar_identity":"try-avatar-1a2b3c4d","avatar_token":"...","expires_in":3600}
 * </pre>
 */
public final class TryService implements HttpService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TryItSettings settings;
    private final TryTokens tokens;

    public TryService(TryItSettings settings, Clock clock) {
        this.settings = settings;
        this.tokens = new TryTokens(settings, clock);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/try/session", this::session);
        MethodGuard.only(rules, "/try/session", "POST");
    }

    private void session(ServerRequest req, ServerResponse res) {
        // why: the key is checked by the node's AccessFilter before any route, as for every route but the public ones
        if (!settings.enabled()) {
            throw ApiException.notFound("try-it is off on this node: set TRY_LIVEKIT_URL and TRY_LIVEKIT_API_SECRET");
        }
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        String suffix = HexFormat.of().formatHex(id);
        String room = "try-" + suffix;
        String agent = "try-agent-" + suffix;
        String avatar = "try-avatar-" + suffix;
        JsonReply.send(res, Status.OK_200, JsonReply.object(
                "livekit_url", settings.livekitUrl().toString(),
                "room_name", room,
                "agent_identity", agent,
                "agent_token", tokens.agent(room, agent),
                "avatar_identity", avatar,
                "avatar_token", tokens.avatar(room, avatar, agent),
                "expires_in", TryTokens.TTL.toSeconds()));
    }
}
