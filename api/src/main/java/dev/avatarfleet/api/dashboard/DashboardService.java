package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.common.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operators' dashboard, static files from the API jar ({@code dashboard/} on the class path; no front-end
 * build: plain HTML, CSS and JavaScript, and livekit-client's browser build copied from its npm package when
 * the jar is built). {@code GET /} is the fleet and tasks page, {@code GET /try} the try-it page,
 * {@code GET /dashboard/{file}} their files. Only the files listed here are served.
 */
public final class DashboardService implements HttpService {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "try.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "common.js", "text/javascript; charset=utf-8",
            "try.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "livekit-client.umd.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(res, "index.html"));
        rules.get("/try", (req, res) -> send(res, "try.html"));
        rules.get("/dashboard/{file}", (req, res) -> send(res, req.path().pathParameters().get("file")));
    }

    private void send(ServerResponse res, String file) {
        String type = FILES.get(file);
        if (type == null) {
            throw ApiException.notFound("no dashboard file " + (file.length() > 64 ? file.substring(0, 64) + "..." : file));
        }
        byte[] body = cache.computeIfAbsent(file, DashboardService::read);
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        // why: the pages load only their own files and talk only to this node and the LiveKit server
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.send(body);
    }

    private static byte[] read(String file) {
        try (InputStream in = DashboardService.class.getClassLoader().getResourceAsStream("dashboard/" + file)) {
            if (in == null) {
                throw ApiException.notFound("dashboard file " + file + " is not in this build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
