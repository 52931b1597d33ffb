package dev.avatarfleet.common.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A worker node's own settings; each is declared once, below, as a {@link Setting}.
 *
 * @param maxSessions        {@link #MAX_SESSIONS} (also the render batch)
 * @param sessionIdleTimeout {@link #SESSION_IDLE_TIMEOUT}
 * @param autoPrewarm        {@link #AUTO_PREWARM}
 * @param drainTimeout       {@link #DRAIN_TIMEOUT}
 * @param host               {@link #WORKER_HOST}
 * @param port               {@link #WORKER_PORT}
 * @param workerId           {@link #WORKER_ID}
 * @param workerUrl          {@link #WORKER_URL}
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

    public static final Setting<Integer> MAX_SESSIONS = Setting.integer("MAX_SESSIONS", DEFAULT_MAX_SESSIONS, 1, 1024)
            .readBy(Node.WORKER).means("concurrent sessions on this worker");
    public static final Setting<Duration> SESSION_IDLE_TIMEOUT = Setting.seconds("SESSION_IDLE_TIMEOUT", 600, 1, 7L * 24 * 3600)
            .readBy(Node.WORKER).means("seconds an idle session is held");
    public static final Setting<Boolean> AUTO_PREWARM = Setting.bool("AUTO_PREWARM", true)
            .readBy(Node.WORKER).means("load and warm the model before the first claim, and run a session's signalling and"
                    + " WebRTC code once locally (no network), so the first session starts as fast as later ones; the worker"
                    + " reports ready once that is done and its launch share-group member has joined");
    public static final Setting<Duration> DRAIN_TIMEOUT = Setting.seconds("DRAIN_TIMEOUT", 30, 0, 86_400)
            .readBy(Node.WORKER).means("seconds SIGTERM waits for sessions to end");
    public static final Setting<String> WORKER_HOST = Setting.text("WORKER_HOST", "127.0.0.1")
            .readBy(Node.WORKER).documentedAllowed("an address").means("bind address");
    public static final Setting<Integer> WORKER_PORT = Setting.integer("WORKER_PORT", DEFAULT_PORT, 0, 65535)
            .readBy(Node.WORKER).means("HTTP port (`/health`, `/ready`)");
    public static final Setting<String> WORKER_ID = Setting.identifier("WORKER_ID", null, 128)
            .readBy(Node.WORKER).documentedDefault("`<hostname>-<port>`").means("its name in the registry and in `worker_id`");
    public static final Setting<URI> WORKER_URL = Setting.url("WORKER_URL", null, Set.of("http", "https"))
            .readBy(Node.WORKER).documentedDefault("`http://<host>:<port>`")
            .means("where API nodes reach it (`/benchmark`, `/test-frame`)");

    /** Every setting of this record, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(MAX_SESSIONS, SESSION_IDLE_TIMEOUT, AUTO_PREWARM, DRAIN_TIMEOUT,
            WORKER_HOST, WORKER_PORT, WORKER_ID, WORKER_URL);

    public static WorkerSettings fromEnvironment(Env env) {
        String host = env.get(WORKER_HOST);
        int port = env.get(WORKER_PORT);
        String id = env.get(WORKER_ID, hostname() + "-" + port);
        URI url = env.get(WORKER_URL, "http://" + host + ":" + port);
        return new WorkerSettings(env.get(MAX_SESSIONS), env.get(SESSION_IDLE_TIMEOUT), env.get(AUTO_PREWARM), env.get(DRAIN_TIMEOUT),
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
