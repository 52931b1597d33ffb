package dev.avatarfleet.common.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.testkit.PrometheusScrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test-only: the metrics contract of ops/deploy/metrics.json (the names the Grafana dashboard, the alerts and
 * the autoscaler query), and the check that a node's parsed {@code /metrics} serves every metric of its kind
 * with the declared type and labels, each series labelled {@code node_id}.
 */
public final class MetricsContract {

    /** One metric of the contract. */
    public record Metric(String name, String type, String node, List<String> labels) {
    }

    private final List<Metric> metrics;

    private MetricsContract(List<Metric> metrics) {
        this.metrics = metrics;
    }

    /** Reads ops/deploy/metrics.json, found upwards from the working directory. */
    public static MetricsContract load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("ops/deploy/metrics.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("ops/deploy/metrics.json not found above " + Path.of("").toAbsolutePath());
        }
        try {
            JsonNode doc = new ObjectMapper().readTree(dir.resolve("ops/deploy/metrics.json").toFile());
            List<Metric> out = new ArrayList<>();
            for (JsonNode m : doc.get("metrics")) {
                List<String> labels = new ArrayList<>();
                m.get("labels").forEach(l -> labels.add(l.asText()));
                out.add(new Metric(m.get("name").asText(), m.get("type").asText(), m.get("node").asText(), labels));
            }
            return new MetricsContract(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metrics a node of this kind ({@code api} or {@code worker}) serves: its own and the shared ones. */
    public List<Metric> of(String node) {
        return metrics.stream().filter(m -> m.node().equals(node) || m.node().equals("both")).toList();
    }

    /**
     * Asserts that {@code scrape} serves every metric of {@code node}'s kind, as the contract types it, with its
     * labels, and that every sample carries {@code node_id=nodeId}.
     */
    public void assertServedBy(String node, PrometheusScrape scrape, String nodeId) {
        for (Metric m : of(node)) {
            String family = m.type().equals("counter") ? m.name().substring(0, m.name().length() - "_total".length()) : m.name();
            String sample = switch (m.type()) {
                case "histogram" -> m.name() + "_count";
                default -> m.name();
            };
            String served = scrape.type(family);
            assertFalse(served == null, m.name() + " is not served; families: " + scrape.families());
            // why: Micrometer serves a JVM GC pause timer as a summary (count/sum) and a timer with buckets as a histogram
            String expected = m.type().equals("histogram") && m.name().startsWith("jvm_") ? served : m.type();
            assertEquals(expected, served, m.name() + " type");
            List<PrometheusScrape.Sample> samples = scrape.samples(sample, Map.of());
            if (m.name().equals("jvm_gc_pause_seconds") && samples.isEmpty()) {
                continue; // why: no collection has paused yet in a young JVM; its labels cannot be checked then
            }
            assertFalse(samples.isEmpty(), "no sample " + sample);
            for (PrometheusScrape.Sample s : samples) {
                assertEquals(nodeId, s.labels().get("node_id"), s + " node_id");
                for (String label : m.labels()) {
                    assertTrue(s.labels().containsKey(label), s + " lacks label " + label);
                }
            }
            if (m.type().equals("histogram") && !m.name().startsWith("jvm_")) {
                assertFalse(scrape.samples(m.name() + "_bucket", Map.of()).isEmpty(), m.name() + " has no buckets");
            }
        }
        for (PrometheusScrape.Sample s : scrape.samples()) {
            assertEquals(nodeId, s.labels().get("node_id"), s + " node_id");
        }
    }
}
