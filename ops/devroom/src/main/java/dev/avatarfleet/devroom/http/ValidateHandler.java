package dev.avatarfleet.devroom.http;

import dev.avatarfleet.devroom.auth.TokenRejected;
import dev.avatarfleet.devroom.auth.TokenVerifier;
import dev.avatarfleet.devroom.signal.SignalEndpoint;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * The plain HTTP answers of livekit-server: {@code GET /} → "OK", {@code GET /rtc/validate} → "success" or 401
 * with the reason (SDKs call it after a failed upgrade), and 404 on {@code /rtc/v1} so that SDKs fall back to v0.
 */
public final class ValidateHandler implements HttpService {
    private final TokenVerifier verifier;

    /** @param verifier token check */
    public ValidateHandler(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> res.send("OK"))
                .get("/rtc/validate", (req, res) -> {
                    try {
                        SignalEndpoint.checkJoin(verifier,
                                SignalEndpoint.bearer(req.headers(), req.query().first("access_token").asOptional()),
                                req.query().first("room").asOptional());
                        res.send("success");
                    } catch (TokenRejected e) {
                        res.status(Status.UNAUTHORIZED_401).send(e.getMessage());
                    }
                })
                // why: no single-peer-connection support; a 404 here is what makes the SDKs fall back to /rtc
                .any("/rtc/v1", (req, res) -> res.status(Status.NOT_FOUND_404).send("v1 signalling not supported"))
                .any("/rtc/v1/validate", (req, res) -> res.status(Status.NOT_FOUND_404).send("v1 signalling not supported"));
    }
}
