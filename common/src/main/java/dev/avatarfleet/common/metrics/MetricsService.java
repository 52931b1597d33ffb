package dev.avatarfleet.common.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /metrics}: the node's meters in the Prometheus text format, for Prometheus to scrape.
 * <pre>
 * curl http://127.0.0.1:8090/metrics
 * # TYPE avatarfleet_worker_sessions_running gauge
 * avatarfleet_worker_sessions_running{node_id="worker-1"} 2.0
 * </pre>
 */
public final class MetricsService implements HttpService {

    /** The content type of the text format Prometheus scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final NodeMetrics metrics;

    public MetricsService(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(metrics.scrape());
    }
}
