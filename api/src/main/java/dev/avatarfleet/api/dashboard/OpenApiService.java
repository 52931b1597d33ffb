package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.api.http.MethodGuard;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the API node's OpenAPI 3.1 document, written by hand beside the code
 * ({@code api/src/main/resources/openapi.yaml}) and held to the routing and the server's answers by
 * {@code OpenApiRoundTripTest}. The dashboard reads it to show the buttons the node serves (replay).
 * <pre>
 * curl http://localhost:8089/openapi
 * </pre>
 */
public final class OpenApiService implements HttpService {

    private final byte[] document = read();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi", this::send);
        MethodGuard.only(rules, "/openapi", "GET");
    }

    private void send(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
        res.send(document);
    }

    private static byte[] read() {
        try (InputStream in = OpenApiService.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not in the API jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
