package dev.avatarfleet.worker.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code @livekit/rtc-node} agent (ops/sdk-tests/agent.mjs) in its own process; its JSON
 * event lines are collected for the test. Closing it kills the process by its pid.
 */
public final class AgentProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<JsonNode> events = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private AgentProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> read(process.getInputStream(), true));
        Thread.ofVirtual().start(() -> read(process.getErrorStream(), false));
    }

    public static Path sdkTests() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("ops/sdk-tests");
            if (Files.isRegularFile(candidate.resolve("agent.mjs"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("ops/sdk-tests/agent.mjs not found above " + here);
    }

    public static AgentProcess start(Map<String, String> env) throws IOException {
        return start("agent.mjs", env);
    }

    /** Runs another script of ops/sdk-tests with the same event protocol (one JSON object a line). */
    public static AgentProcess start(String script, Map<String, String> env) throws IOException {
        Path dir = sdkTests();
        if (!Files.isDirectory(dir.resolve("node_modules/@livekit/rtc-node"))) {
            throw new IllegalStateException("run `npm ci` in ops/sdk-tests first (ops/test does)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile());
        pb.environment().putAll(env);
        return new AgentProcess(pb.start());
    }

    private void read(java.io.InputStream in, boolean isStdout) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (isStdout && line.startsWith("{")) {
                    JsonNode node = JSON.readTree(line);
                    synchronized (events) {
                        events.add(node);
                        events.notifyAll();
                    }
                } else {
                    synchronized (stderr) {
                        if (stderr.length() < 20_000) {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits for the first event named {@code name}; fails with the agent's output when it does not come. */
    public JsonNode await(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (JsonNode e : events) {
                    if (e.path("event").asText().equals(name)) {
                        return e;
                    }
                    if (e.path("event").asText().equals("error")) {
                        throw new AssertionError("agent failed: " + e + "\n" + output());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("agent sent no '" + name + "' within " + timeout + "\n" + output());
                }
                events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Waits until {@code count} events named {@code name} have arrived. */
    public void awaitCount(String name, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (all(name).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("agent sent " + all(name).size() + " '" + name + "', not " + count + "\n" + output());
                }
                events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    public List<JsonNode> all(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.path("event").asText().equals(name)).toList();
        }
    }

    public String output() {
        synchronized (events) {
            synchronized (stderr) {
                return "events: " + events + "\nstderr: " + stderr;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        }
    }
}
