package dev.avatarfleet.testkit;

import dev.avatarfleet.common.config.Env;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} (found on PATH) on a free port of 127.0.0.1, without persistence.
 * Stopped by its pid in {@link #close()}.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server on a free port and waits until it answers PING. */
    public static RedisServerProcess start() {
        Path binary = findOnPath("redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not on PATH; install it with: sudo apt-get install redis-server"));
        IllegalStateException last = null;
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.next();
            try {
                return start(binary, port);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static RedisServerProcess start(Path binary, int port) {
        ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
        try {
            Awaitility.await("redis-server on port " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
                }
                return answersPing(port);
            });
            return new RedisServerProcess(process, port);
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT, e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Kills this redis-server ({@code kill -9}) and starts a new one on the same port with no data: what a Redis
     * that lost everything (no AOF, or a failover to an empty replica) looks like to the fleet. This instance is
     * done afterwards; the new one is returned.
     */
    public RedisServerProcess restartEmpty() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path binary = findOnPath("redis-server").orElseThrow();
        IllegalStateException last = null;
        // why: the port may linger for a moment after the kill
        for (int i = 0; i < 20; i++) {
            try {
                return start(binary, port);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Stops this redis-server (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static boolean answersPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<Path> findOnPath(String name) {
        String path = java.util.Objects.requireNonNullElse(Env.system().raw("PATH"), "");
        for (String dir : (path + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/local/bin").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
