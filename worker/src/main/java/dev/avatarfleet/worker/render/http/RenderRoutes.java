package dev.avatarfleet.worker.render.http;

import java.util.ArrayList;
import java.util.List;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /benchmark} and {@code /test-frame} on the worker's server, which starts before the
 * model is loaded. Until the render engine is up they answer 503 {@code not_ready}; then each
 * request goes to the engine's own routes.
 *
 * why: Helidon builds its routing once, at server start, but the renderer's service only exists
 * after the warm-up; /health must answer during the warm-up, so the server cannot wait for it.
 */
public final class RenderRoutes implements HttpService {

    private volatile List<HttpRoute> routes = List.of();

    /** From now on, requests go to {@code service}'s routes. */
    public void serve(HttpService service) {
        Recorder recorder = new Recorder();
        service.routing(recorder);
        routes = List.copyOf(recorder.routes);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/benchmark", this::handle).any("/test-frame", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        List<HttpRoute> current = routes;
        if (current.isEmpty()) {
            JsonReply.send(res, ApiException.unavailable("not_ready", "the avatar model is still loading"));
            return;
        }
        for (HttpRoute route : current) {
            if (route.accepts(req.prologue()).accepted()) {
                route.handler().handle(req, res);
                return;
            }
        }
        JsonReply.send(res, ApiException.methodNotAllowed(req.prologue().method().text() + " is not served on " + req.path().path()));
    }

    /** Collects the routes a service registers, without a server. */
    private static final class Recorder implements HttpRules {
        private final List<HttpRoute> routes = new ArrayList<>();

        @Override
        public HttpRules register(HttpService... services) {
            for (HttpService s : services) {
                s.routing(this);
            }
            return this;
        }

        @Override
        public HttpRules register(String path, HttpService... services) {
            throw new UnsupportedOperationException("the render service registers no nested paths");
        }

        @Override
        public HttpRules route(HttpRoute route) {
            routes.add(route);
            return this;
        }
    }
}
