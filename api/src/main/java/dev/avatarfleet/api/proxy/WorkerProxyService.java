package dev.avatarfleet.api.proxy;

import dev.avatarfleet.api.http.LimitedInputStream;
import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.common.bench.BenchmarkIterations;
import dev.avatarfleet.common.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * {@code POST /benchmark?iterations=N} and {@code GET|POST /test-frame}: passed on to a ready
 * worker's endpoint of the same name ({@code ?worker=ID} picks one), with a bounded time and reply
 * size; 503 JSON when no worker can answer.
 *
 * <pre>
 * curl -X POST "http://localhost:8089/benchmark?iterations=10"
 * curl http://localhost:8089/test-frame --output frame.jpg
 * </pre>
 */
public final class WorkerProxyService implements HttpService {
    private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final WorkerDirectory workers;
    private final Duration timeout;
    private final long maxBytes;
    private final HttpClient client;

    public WorkerProxyService(WorkerDirectory workers, Duration timeout, long maxBytes) {
        this.workers = workers;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/benchmark", this::benchmark);
        MethodGuard.only(rules, "/benchmark", "POST");
        rules.get("/test-frame", (req, res) -> forward(req, res, "GET", "/test-frame", passThroughQuery(req)));
        rules.post("/test-frame", (req, res) -> forward(req, res, "POST", "/test-frame", passThroughQuery(req)));
        MethodGuard.only(rules, "/test-frame", "GET", "POST");
    }

    private void benchmark(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        try {
            // why: refused here already, so a bad request never takes a worker's time
            BenchmarkIterations.parse(req.query().first("iterations").orElse(null));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        forward(req, res, "POST", "/benchmark", passThroughQuery(req));
    }

    private void forward(ServerRequest req, ServerResponse res, String method, String path, String query)
            throws IOException, InterruptedException {
        WorkerDirectory.WorkerEndpoint target = pick(req.query().first("worker").orElse(null));
        URI uri = URI.create(stripSlash(target.url()) + path + query);
        HttpRequest.BodyPublisher upload = HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        boolean hasBody = req.headers().contentLength().orElse(0) != 0 || req.headers().contains(HeaderNames.TRANSFER_ENCODING);
        if (method.equals("POST") && hasBody) {
            // why: /test-frame may carry an image to render; it is bounded like any upload before it is passed on
            try (InputStream in = req.content().inputStream()) {
                upload = HttpRequest.BodyPublishers.ofByteArray(LimitedInputStream.readAll(in, maxBytes,
                        () -> ApiException.tooLarge("request body is over " + maxBytes + " bytes")));
            }
            req.headers().first(HeaderNames.CONTENT_TYPE).ifPresent(ct -> request.header("Content-Type", ct));
        }
        request.method(method, upload);
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw ApiException.gatewayTimeout("worker " + target.id() + " did not answer " + path + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw ApiException.unavailable("worker_unreachable", "worker " + target.id() + " is unreachable at " + target.url(), e);
        }
        byte[] body;
        // why: a worker that streams forever or answers gigabytes must not hold this node's memory
        try (InputStream in = answer.body()) {
            body = LimitedInputStream.readAll(in, maxBytes,
                    () -> ApiException.badGateway("worker " + target.id() + " answered more than " + maxBytes + " bytes", null));
        } catch (IOException e) {
            throw ApiException.badGateway("worker " + target.id() + " broke off its answer", e);
        }
        String contentType = answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
        if (answer.statusCode() >= 400 && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // why: every error this API answers is JSON; a worker's plain-text error is described, not passed on
            String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("\\p{Cntrl}", " ").trim();
            throw ApiException.badGateway("worker " + target.id() + " answered " + answer.statusCode() + " on " + path
                    + (answer.statusCode() == 404 ? " (it does not serve " + path + ")" : "") + (text.isEmpty() ? "" : ": " + text), null);
        }
        res.status(Status.create(answer.statusCode()));
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header("X-Worker-Id", target.id());
        res.send(body);
    }

    /** The request's query without {@code worker} (which picks the target), re-encoded. */
    private static String passThroughQuery(ServerRequest req) {
        StringBuilder q = new StringBuilder();
        for (String name : req.query().names()) {
            if (name.equals("worker")) {
                continue;
            }
            for (String value : req.query().all(name)) {
                q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private WorkerDirectory.WorkerEndpoint pick(String workerId) {
        if (workerId != null) {
            if (!WORKER_ID.matcher(workerId).matches()) {
                throw ApiException.badRequest("worker must be a worker id such as worker-1");
            }
            WorkerDirectory.WorkerEndpoint w = workers.worker(workerId)
                    .orElseThrow(() -> ApiException.unavailable("not_ready", "worker " + workerId + " is not live"));
            if (w.url() == null || w.url().isBlank()) {
                throw ApiException.unavailable("not_ready", "worker " + workerId + " has no URL in the registry");
            }
            return w;
        }
        return workers.readyWorkers().stream()
                .filter(w -> w.url() != null && !w.url().isBlank())
                .findFirst()
                .orElseThrow(() -> ApiException.unavailable("not_ready", "no ready worker to run this on"));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

}
