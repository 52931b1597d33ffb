package dev.avatarfleet.api.metrics;

import dev.avatarfleet.common.metrics.NodeMetrics;
import dev.avatarfleet.common.store.FleetTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API node's meters (names of ops/deploy/metrics.json): launches by outcome, admission refusals by
 * reason, the fleet's slots as {@code /ready} counts them, launch replays by cause and the launch share
 * group's lag. The one door from the API's code to the registry: the launch filter and the node call it.
 */
public final class ApiMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ApiMetrics.class);
    /** why: one scrape reads two fleet gauges; one Redis read serves both (and a scrape storm) */
    private static final Duration TOTALS_FRESH_FOR = Duration.ofMillis(500);

    private final MeterRegistry registry;
    private final Supplier<FleetTotals> totals;
    private final Clock clock;
    private volatile FleetTotals lastTotals;
    private volatile long lastTotalsAt = Long.MIN_VALUE;
    private volatile double lag = Double.NaN;

    /**
     * @param totals the fleet totals {@code /ready} answers from (a Redis read; NaN gauges while it fails)
     */
    public ApiMetrics(NodeMetrics metrics, Supplier<FleetTotals> totals, Clock clock) {
        this.registry = metrics.registry();
        this.totals = totals;
        this.clock = clock;
        Gauge.builder("avatarfleet.fleet.available.sessions", this, m -> m.fleet(FleetTotals::availableSessions))
                .description("the fleet's free slots (= /ready's available_sessions)").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.fleet.max.sessions", this, m -> m.fleet(FleetTotals::maxSessions))
                .description("the fleet's slots (= /ready's max_sessions)").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.launch.share.group.lag", this, m -> m.lag)
                .description("launch records not yet acknowledged by the workers' share group").strongReference(true).register(registry);
        // why: present at 0 from the start, so rate() and the dashboard see the series before the first launch
        for (LaunchOutcome outcome : LaunchOutcome.values()) {
            launches(outcome);
        }
        replays("manual");
        for (String reason : java.util.List.of("not_ready", "at_capacity", "unavailable")) {
            refusals(reason);
        }
    }

    /** One {@code POST /launch} answered. */
    public void launched(LaunchOutcome outcome) {
        launches(outcome).increment();
    }

    /** A launch admission refused: {@code not_ready}, {@code at_capacity} or {@code unavailable}. */
    public void refused(String reason) {
        refusals(reason).increment();
    }

    private Counter refusals(String reason) {
        return Counter.builder("avatarfleet.admission.refusals")
                .description("launches refused by admission, by reason (not_ready, at_capacity, unavailable)")
                .tag("reason", reason).register(registry);
    }

    /** A launch record replayed from Kafka by this node. */
    public void replayed(String cause) {
        replays(cause).increment();
    }

    /** The share group's lag as last read (the node's lag probe sets it; NaN while unknown). */
    public void shareGroupLag(double records) {
        this.lag = records;
    }

    private Counter launches(LaunchOutcome outcome) {
        return Counter.builder("avatarfleet.launches")
                .description("POST /launch answers, by outcome")
                .tag("outcome", outcome.label()).register(registry);
    }

    private Counter replays(String cause) {
        return Counter.builder("avatarfleet.replays")
                .description("launch records replayed from Kafka, by cause")
                .tag("cause", cause).register(registry);
    }

    private double fleet(java.util.function.ToLongFunction<FleetTotals> value) {
        long now = clock.millis();
        FleetTotals t = lastTotals;
        if (t == null || now - lastTotalsAt > TOTALS_FRESH_FOR.toMillis()) {
            try {
                t = totals.get();
                lastTotals = t;
                lastTotalsAt = now;
            } catch (RuntimeException e) {
                LOG.debug("fleet totals for /metrics unavailable: {}", e.getMessage());
                lastTotals = null;
                return Double.NaN;
            }
        }
        return value.applyAsLong(t);
    }
}
