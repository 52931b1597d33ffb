package dev.avatarfleet.api.metrics;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.ErrorMapping;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * Counts every {@code POST /launch} by outcome, and admission's refusals by reason, around the launch
 * route. why a filter: the launch code stays free of meters, and a refusal is counted exactly as the error
 * mapping answered it (it keeps the {@link ApiException} on the request's context).
 */
public final class LaunchMetricsFilter implements Filter {

    private final ApiMetrics metrics;
    private volatile boolean counting;

    public LaunchMetricsFilter(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    /** Starts counting; why: the node's own warm-up launch at start (refused by validation) is no client's. */
    public void startCounting() {
        counting = true;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!counting || req.prologue().method() != Method.POST || !req.path().path().equals("/launch")) {
            chain.proceed();
            return;
        }
        try {
            chain.proceed();
        } catch (RuntimeException e) {
            metrics.launched(LaunchOutcome.ERROR);
            throw e;
        }
        Optional<ApiException> refusal = ErrorMapping.answeredWith(req);
        if (refusal.isPresent()) {
            ApiException e = refusal.get();
            metrics.launched(LaunchOutcome.of(e));
            if (e.status().code() == 503) {
                metrics.refused(e.code());
            }
            return;
        }
        int status = res.status().code();
        metrics.launched(status < 300 ? LaunchOutcome.ACCEPTED : status < 500 ? LaunchOutcome.INVALID : LaunchOutcome.ERROR);
    }
}
