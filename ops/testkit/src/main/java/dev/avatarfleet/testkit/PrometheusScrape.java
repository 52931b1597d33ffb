package dev.avatarfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /metrics} answer parsed by the Prometheus project's own text-format parser (the Python client's
 * {@code prometheus_client.parser}, Debian's {@code python3-prometheus-client}, which ops/test installs): a scrape
 * it refuses fails the test. Families keep their declared type; samples their name, labels and value.
 *
 * <pre>{@code
 * PrometheusScrape m = PrometheusScrape.parse(body);
 * double running = m.value("avatarfleet_worker_sessions_running", Map.of("node_id", "worker-1")).orElseThrow();
 * }</pre>
 */
public final class PrometheusScrape {

    /** One sample: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final String PYTHON = "/usr/bin/python3";

    private final Map<String, String> types;
    private final List<Sample> samples;

    private PrometheusScrape(Map<String, String> types, List<Sample> samples) {
        this.types = types;
        this.samples = samples;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with the parser's words when it refuses it. */
    public static PrometheusScrape parse(String text) {
        String script;
        try (InputStream in = PrometheusScrape.class.getResourceAsStream("prometheus-parse.py")) {
            script = new String(Objects.requireNonNull(in, "prometheus-parse.py").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", script).start();
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the Prometheus parser did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException("not the Prometheus text format: " + new String(err, StandardCharsets.UTF_8));
            }
            return read(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + PYTHON + " (install python3-prometheus-client: ops/test does)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static PrometheusScrape read(String lines) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", 4);
            if (f[0].equals("F")) {
                types.put(f[1], f[2]);
            } else {
                Map<String, String> labels = new LinkedHashMap<>();
                if (f.length > 3 && !f[3].isEmpty()) {
                    for (String pair : f[3].split("&")) {
                        int eq = pair.indexOf('=');
                        labels.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                    }
                }
                samples.add(new Sample(f[1], labels, number(f[2])));
            }
        }
        return new PrometheusScrape(types, samples);
    }

    /** Python's float repr: {@code nan}, {@code inf}, {@code -inf} or a decimal. */
    private static double number(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The declared type of family {@code name} ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Every family name. */
    public java.util.Set<String> families() {
        return types.keySet();
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples named {@code name} whose labels include {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The one sample named {@code name} with these labels, if there is exactly one. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> found = samples(name, labels);
        return found.size() == 1 ? OptionalDouble.of(found.get(0).value()) : OptionalDouble.empty();
    }
}
