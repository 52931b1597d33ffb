package dev.avatarfleet.api.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatarfleet.common.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * The door of the API node, before any route: every request but {@link #PUBLIC} needs a key when keys are configured
 * (401 JSON with {@code WWW-Authenticate: Bearer} otherwise), and a task is reached only by its own tenant or an
 * operator (another tenant's task is a 404, the same as a task that does not exist). why a filter: a route added
 * later is guarded without a line of its own, and {@code /tasks/{id}/...} covers every action on a task.
 *
 * <p>The key comes as {@code Authorization: Bearer KEY} or an {@code api-secret: KEY} header; {@code POST /launch} may
 * carry it in its body's {@code api_secret} field instead, checked by {@link #launchCaller} once the body is read.
 */
public final class AccessFilter {

    /**
     * The routes anyone may ask: liveness, readiness, the metrics scrape, the API's description and the dashboard's
     * static pages (they hold no fleet data: the page asks for a key and sends it with each of its calls).
     */
    public static final Set<String> PUBLIC = Set.of("/health", "/ready", "/metrics", "/openapi", "/", "/try");
    /** The dashboard's static files ({@code /dashboard/{file}}), public like its pages. */
    public static final String PUBLIC_PREFIX = "/dashboard/";
    /** Helidon's health observer ({@code /observe/health}, {@code .../live}, {@code .../ready}): probes carry no key. */
    public static final String HEALTH_OBSERVER = "/observe/health";
    /**
     * The fleet-wide views (every worker, every tenant's tasks as they change): an operator key's alone when keys are
     * configured; a tenant key is answered 403.
     */
    public static final Set<String> OPERATOR_ONLY = Set.of("/fleet", "/events");

    private static final Pattern TASK_PATH = Pattern.compile("/tasks/([^/]+)(?:/.*)?");
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String MISSING = "API key required (Authorization: Bearer, api-secret header or api_secret field)";
    private static final String WRONG = "API key is not valid";

    private final KeyDirectory keys;
    private final TrustedProxies proxies;
    private final Function<String, Optional<String>> tenantOfTask;

    /** @param tenantOfTask the tenant a task was launched under (empty: unknown task, or launched open) */
    public AccessFilter(KeyDirectory keys, TrustedProxies proxies, Function<String, Optional<String>> tenantOfTask) {
        this.keys = keys;
        this.proxies = proxies;
        this.tenantOfTask = tenantOfTask;
    }

    /** The routing filter. */
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (isPublic(path)) {
            chain.proceed();
            return;
        }
        Caller caller = fromHeaders(req);
        if (caller != null) {
            req.context().register(caller);
            if (OPERATOR_ONLY.contains(path) && !caller.operator()) {
                throw ApiException.forbidden("an operator key is required for " + path);
            }
            guardTask(path, caller);
        } else if (!(path.equals("/launch") && req.prologue().method() == Method.POST)) {
            throw refusal(offersAny(req));
        }
        chain.proceed();
    }

    /** Whether anyone may ask {@code path} (see {@link #PUBLIC}). */
    public static boolean isPublic(String path) {
        return PUBLIC.contains(path) || (path.startsWith(PUBLIC_PREFIX) && path.indexOf('/', PUBLIC_PREFIX.length()) < 0)
                || path.equals(HEALTH_OBSERVER) || path.startsWith(HEALTH_OBSERVER + "/");
    }

    /**
     * The caller of a {@code POST /launch}: the one the filter found in its headers, else the key in its
     * {@code api_secret} field; 401 when neither.
     */
    public Caller launchCaller(ServerRequest req, String formSecret) {
        Optional<Caller> found = req.context().get(Caller.class);
        if (found.isPresent()) {
            return found.get();
        }
        Optional<ApiKey> key = keys.authenticate(java.util.Collections.singletonList(formSecret));
        if (key.isPresent()) {
            return Caller.of(key.get(), clientAddress(req));
        }
        throw refusal(offersAny(req) || (formSecret != null && !formSecret.isBlank()));
    }

    /** The node's key mode (for {@code /health} and the start line). */
    public KeyDirectory.Mode mode() {
        return keys.mode();
    }

    /** The 404 of a task this caller may not see, the same as for a task that does not exist. */
    public static ApiException noSuchTask(String id) {
        return ApiException.notFound("no task " + (id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id));
    }

    private Caller fromHeaders(ServerRequest req) {
        KeyDirectory.Mode mode = keys.mode();
        if (mode == KeyDirectory.Mode.OPEN) {
            return Caller.open(clientAddress(req));
        }
        Optional<ApiKey> key = keys.authenticate(offered(req));
        return key.map(k -> Caller.of(k, clientAddress(req))).orElse(null);
    }

    private ApiException refusal(boolean offered) {
        if (keys.mode() == KeyDirectory.Mode.UNKNOWN) {
            return ApiException.unavailable("unavailable", "the API keys in Redis cannot be read yet; retry later");
        }
        return ApiException.unauthorized(offered ? WRONG : MISSING);
    }

    private void guardTask(String path, Caller caller) {
        if (caller.operator()) {
            return;
        }
        Matcher m = TASK_PATH.matcher(path);
        if (!m.matches()) {
            return;
        }
        String id = m.group(1);
        if (!TASK_ID.matcher(id).matches() || !caller.sees(tenantOfTask.apply(id).orElse(null))) {
            throw noSuchTask(id);
        }
    }

    private static List<String> offered(ServerRequest req) {
        List<String> out = new ArrayList<>(2);
        out.add(bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null)));
        out.add(req.headers().first(HeaderNames.create("api-secret")).orElse(null));
        return out;
    }

    private static boolean offersAny(ServerRequest req) {
        return offered(req).stream().anyMatch(s -> s != null && !s.isBlank());
    }

    private String clientAddress(ServerRequest req) {
        java.net.SocketAddress peer = req.remotePeer().address();
        if (!(peer instanceof java.net.InetSocketAddress inet) || inet.getAddress() == null) {
            return req.remotePeer().host();
        }
        List<String> forwarded = req.headers().values(HeaderNames.X_FORWARDED_FOR);
        return proxies.clientAddress(inet.getAddress(), forwarded.isEmpty() ? null : String.join(",", forwarded));
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }
}
