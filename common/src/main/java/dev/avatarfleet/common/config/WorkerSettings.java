package dev.avatarfleet.common.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;

/**
 * A worker node's own settings.
 *
 * @param maxSessions        {@code MAX_SESSIONS}: concurrent sessions on this worker, default 8
 * @param sessionIdleTimeout {@code SESSION_IDLE_TIMEOUT}: seconds an idle session is held, default 600
 * @param autoPrewarm        {@code AUTO_PREWARM}: load and warm the model before the first claim, default true
 * @param drainTimeout       {@code DRAIN_TIMEOUT}: seconds SIGTERM waits for sessions to end, default 30
 * @param host               {@code WORKER_HOST}: the address the worker binds to, default 127.0.0.1
 * @param port               {@code WORKER_PORT}: its HTTP port, default 8090
 * @param workerId           {@code WORKER_ID}: its name in the registry, default {@code <hostname>-<port>}
 * @param workerUrl          {@code WORKER_URL}: where API nodes reach it, default {@code http://<host>:<port>}
 */
public record WorkerSettings(
        int maxSessions,
        Duration sessionIdleTimeout,
        boolean autoPrewarm,
        Duration drainTimeout,
        String host,
        int port,
        String workerId,
        URI workerUrl) {

    public static final int DEFAULT_MAX_SESSIONS = 8;
    public static final int DEFAULT_PORT = 8090;

    public static WorkerSettings fromEnvironment(Env env) {
        String host = env.string("WORKER_HOST", "127.0.0.1");
        int port = env.integer("WORKER_PORT", DEFAULT_PORT, 0, 65535);
        String id = env.name("WORKER_ID", hostname() + "-" + port, 128);
        URI url = env.url("WORKER_URL", "http://" + host + ":" + port, Set.of("http", "https"));
        return new WorkerSettings(
                env.integer("MAX_SESSIONS", DEFAULT_MAX_SESSIONS, 1, 1024),
                env.seconds("SESSION_IDLE_TIMEOUT", 600, 1, 7L * 24 * 3600),
                env.bool("AUTO_PREWARM", true),
                env.seconds("DRAIN_TIMEOUT", 30, 0, 86_400),
                host, port, id, url);
    }

    public WorkerSettings withIdentity(String id, int port, int maxSessions) {
        return new WorkerSettings(maxSessions, sessionIdleTimeout, autoPrewarm, drainTimeout, host, port, id,
                URI.create("http://" + host + ":" + port));
    }

    public WorkerSettings withDrainTimeout(Duration timeout) {
        return new WorkerSettings(maxSessions, sessionIdleTimeout, autoPrewarm, timeout, host, port, workerId, workerUrl);
    }

    private static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
            return name.isEmpty() ? "worker" : name;
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
