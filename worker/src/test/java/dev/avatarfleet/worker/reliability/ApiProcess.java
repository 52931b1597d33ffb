package dev.avatarfleet.worker.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: an API node ({@code ApiMain}) in a JVM of its own, on this test JVM's class path, so a test can kill it
 * as {@code kill -9} would: mid-request, with nothing run after.
 */
final class ApiProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch listening = new CountDownLatch(1);

    private ApiProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().name("api-process-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.contains("avatar-fleet api listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // why: the process was killed
            }
        });
    }

    /** Starts {@code ApiMain} with exactly this environment (and PATH) and waits until it listens. */
    static ApiProcess start(Map<String, String> env, Duration startTimeout) throws InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.avatarfleet.api.ApiMain")).redirectErrorStream(true);
        String path = pb.environment().get("PATH");
        pb.environment().clear();
        pb.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
        pb.environment().putAll(env);
        ApiProcess p;
        try {
            p = new ApiProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!p.listening.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.close();
            throw new IllegalStateException("the API node did not start within " + startTimeout + ":\n" + p.output);
        }
        return p;
    }

    /** Kills it with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
