package dev.avatarfleet.common.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * One node's Prometheus registry (Micrometer): every series labelled {@code node_id}, the JVM and process
 * meters of the contract (ops/deploy/metrics.json), the process's RSS and native memory, and the failed
 * calls of its Redis and Kafka circuit breakers. The node's own facade ({@code ApiMetrics},
 * {@code WorkerMetrics}) adds its meters to {@link #registry()}; {@link MetricsService} serves {@link #scrape()}.
 *
 * <pre>{@code
 * NodeMetrics metrics = NodeMetrics.create("worker-1");
 * metrics.countFailures("redis", redisBreaker);
 * String text = metrics.scrape();   // avatarfleet_dependency_errors_total{dependency="redis",node_id="worker-1"} 0.0 ...
 * }</pre>
 */
public final class NodeMetrics implements AutoCloseable {

    /** The label every series carries. */
    public static final String NODE_ID = "node_id";

    private final String nodeId;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private NodeMetrics(String nodeId, PrometheusMeterRegistry registry) {
        this.nodeId = nodeId;
        this.registry = registry;
    }

    /** A registry for the node {@code nodeId}, with the JVM, process and memory meters bound. */
    public static NodeMetrics create(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(NODE_ID, nodeId);
        NodeMetrics metrics = new NodeMetrics(nodeId, registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        metrics.gc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ProcessMemory memory = ProcessMemory.system();
        Gauge.builder("avatarfleet.process.rss", memory, ProcessMemory::rssBytes)
                .description("resident set size of the process (VmRSS of /proc/self/status)")
                .baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder("avatarfleet.native.memory", memory, ProcessMemory::nativeBytes)
                .description("native memory outside the Java heap: RSS minus the committed heap (libwebrtc, TensorFlow,"
                        + " thread stacks, metaspace, direct buffers)")
                .baseUnit("bytes").strongReference(true).register(registry);
        return metrics;
    }

    /** The node's id, as its {@code node_id} label says. */
    public String nodeId() {
        return nodeId;
    }

    /** Where the node's facade registers its meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Counts every call {@code breaker} saw fail or refused while open as
     * {@code avatarfleet_dependency_errors_total{dependency}}: the boundary where driver errors become
     * {@code DependencyUnavailableException}s already runs every call through it.
     */
    public void countFailures(String dependency, CircuitBreaker breaker) {
        Counter errors = dependencyErrors(dependency);
        breaker.getEventPublisher()
                .onError(e -> errors.increment())
                .onCallNotPermitted(e -> errors.increment());
    }

    /** {@code avatarfleet_dependency_errors_total{dependency}}, for a failure no breaker sees. */
    public Counter dependencyErrors(String dependency) {
        return Counter.builder("avatarfleet.dependency.errors")
                .description("failed Redis or Kafka calls (dependency=redis|kafka)")
                .tag("dependency", dependency)
                .register(registry);
    }

    /** The Prometheus text format (0.0.4) of every meter now. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
