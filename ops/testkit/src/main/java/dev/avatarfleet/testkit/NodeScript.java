package dev.avatarfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node script (the SDK compatibility scripts in ops/sdk-tests) as a child process with a time limit,
 * capturing stdout and stderr. The process tree is killed on timeout and on {@link #close()}.
 *
 * <pre>{@code
 * try (NodeScript s = NodeScript.start(dir, "rtc-node-room.mjs", List.of(url), Map.of("TOKEN", t))) {
 *     NodeScript.Result r = s.await(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class NodeScript implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;

    private NodeScript(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), stdout);
        this.errPump = pump(process.getErrorStream(), stderr);
    }

    /**
     * @param directory working directory (holds node_modules)
     * @param script    script file relative to it
     * @param args      script arguments
     * @param env       extra environment
     * @return the running script
     */
    public static NodeScript start(Path directory, String script, List<String> args, Map<String, String> env) {
        if (!Files.isDirectory(directory.resolve("node_modules"))) {
            throw new IllegalStateException("no node_modules in " + directory + ": run `npm ci` there (ops/test does)");
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().putAll(env);
        try {
            return new NodeScript(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node (is it installed?)", e);
        }
    }

    /** @return the ops/sdk-tests directory, searched upwards from the working directory */
    public static Path sdkTestsDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("ops").resolve("sdk-tests");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("ops/sdk-tests not found above " + Path.of("").toAbsolutePath());
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // why: the stream closes when the process is killed; what was read so far is kept
            }
        });
        return t;
    }

    /** @return stdout captured so far */
    public String stdout() {
        return stdout.toString();
    }

    /** @return stderr captured so far */
    public String stderr() {
        return stderr.toString();
    }

    /** @return the process id */
    public long pid() {
        return process.pid();
    }

    /**
     * @param timeout how long to wait
     * @return exit code and output; {@code timedOut} when it had to be killed
     */
    public Result await(Duration timeout) {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            kill();
        }
        try {
            outPump.join(2000);
            errPump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Result(exited ? process.exitValue() : -1, !exited, stdout(), stderr());
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the script and its children if still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * @param exitCode exit status (-1 when killed)
     * @param timedOut whether it ran past the limit
     * @param stdout   what it printed
     * @param stderr   what it logged
     */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        /** @return a readable summary for assertion messages */
        public String describe() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
