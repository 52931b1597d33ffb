package dev.avatarfleet.api.metrics;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.health.DependencyCheck;
import dev.avatarfleet.common.health.HealthObserverFeature;
import dev.avatarfleet.common.kafka.ShareGroupProbe;
import dev.avatarfleet.common.metrics.MetricsService;
import dev.avatarfleet.common.metrics.NodeMetrics;
import io.helidon.webserver.observe.ObserveFeature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an API node shows operators besides its API: {@code /metrics} (its {@link ApiMetrics} and the JVM's),
 * Helidon's health observer with the Redis and Kafka checks, and the lag probe that reads the launch share
 * group's lag every {@link #LAG_PERIOD} in the background (so a scrape never waits for Kafka).
 */
public final class ApiObservability implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiObservability.class);
    static final Duration LAG_PERIOD = Duration.ofSeconds(5);

    private final NodeMetrics node;
    private final ApiMetrics metrics;
    private final LaunchMetricsFilter launchFilter;
    private final ShareGroupProbe probe;
    private final ObserveFeature health;
    private final ScheduledExecutorService lagTimer;

    private ApiObservability(NodeMetrics node, ControlPlane plane, Clock clock) {
        this.node = node;
        this.metrics = new ApiMetrics(node, plane.registry()::totals, clock);
        this.launchFilter = new LaunchMetricsFilter(metrics);
        this.probe = new ShareGroupProbe(plane.settings());
        plane.breakers().forEach(node::countFailures);
        this.health = HealthObserverFeature.of(List.of(
                DependencyCheck.of("redis", () -> Map.of("live_workers", plane.registry().liveWorkers().size())),
                DependencyCheck.of("kafka", () -> Map.of("brokers", probe.brokers()))));
        this.lagTimer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("share-group-lag").factory());
        lagTimer.scheduleWithFixedDelay(this::readLag, 0, LAG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Meters for the node {@code nodeId} over {@code plane}; the lag probe starts at once. */
    public static ApiObservability start(String nodeId, ControlPlane plane, Clock clock) {
        return new ApiObservability(NodeMetrics.create(nodeId), plane, clock);
    }

    public ApiMetrics metrics() {
        return metrics;
    }

    /** {@code GET /metrics}. */
    public MetricsService metricsService() {
        return new MetricsService(node);
    }

    /** Counts launches; add it to the routing. */
    public LaunchMetricsFilter launchFilter() {
        return launchFilter;
    }

    /** {@code /observe/health}; add it to the server. */
    public ObserveFeature healthFeature() {
        return health;
    }

    public String nodeId() {
        return node.nodeId();
    }

    private void readLag() {
        try {
            metrics.shareGroupLag(probe.lag());
        } catch (RuntimeException e) {
            metrics.shareGroupLag(Double.NaN);
            LOG.debug("launch share group lag not read: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        lagTimer.shutdownNow();
        probe.close();
        node.close();
    }
}
