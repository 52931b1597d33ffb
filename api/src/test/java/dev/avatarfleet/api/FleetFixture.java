package dev.avatarfleet.api;

import dev.avatarfleet.api.access.AccessSettings;
import dev.avatarfleet.api.access.ApiKey;
import dev.avatarfleet.api.access.KeySecrets;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.common.store.WorkerStates;
import dev.avatarfleet.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fleet for real-server tests: the JVM's real Kafka broker and redis-server (ops/testkit),
 * a fresh key prefix and topic, and any number of API nodes on free ports of 127.0.0.1. Workers
 * are registered in the real fleet registry by heartbeat (the worker process is the
 * control-plane's; these tests are about the API).
 */
public final class FleetFixture implements AutoCloseable {
    public final FleetSettings settings;
    public final ControlPlane controlPlane;
    private final List<ApiNode> nodes = new ArrayList<>();
    private final Map<String, WorkerState> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newHttpClient();

    public FleetFixture() {
        this(Map.of());
    }

    /** With extra environment for the fleet settings (e.g. a Kafka that is down). */
    public FleetFixture(Map<String, String> extraEnv) {
        String prefix = TestServers.uniquePrefix("api");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestServers.kafka().bootstrapServers());
        env.put("REDIS_URL", TestServers.redis().url());
        env.put("REDIS_KEY_PREFIX", prefix.replace("-", ":"));
        env.put("TASK_TOPIC", prefix + "launches");
        env.put("WORKER_GROUP", prefix + "workers");
        env.putAll(extraEnv);
        settings = FleetSettings.fromEnvironment(new Env(env));
        controlPlane = ControlPlane.connect(settings, Clock.systemUTC());
        // why: a worker is live only while it heartbeats; keep the registered ones alive like a worker would
        heartbeats.scheduleAtFixedRate(() -> workers.values().forEach(w -> {
            try {
                controlPlane.registry().heartbeat(w);
            } catch (RuntimeException ignored) {
                // the next beat retries
            }
        }), 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Registers a live worker with its model loaded. */
    public void readyWorker(String id, int maxSessions, String url) {
        WorkerState w = WorkerStates.aReadyWorker(id).at(url).withSlots(maxSessions).build();
        workers.put(id, w);
        controlPlane.registry().heartbeat(w);
    }

    /**
     * Makes an API key in the fleet's Redis, as {@code ops/stack key create} does, and answers the key: nodes started
     * after this accept it at once, running ones within their {@code API_KEYS_REFRESH_SECONDS}.
     */
    public String createKey(String tenant, boolean operator) {
        return createKey(tenant, operator, ApiKey.KeyLimits.DEFAULTS);
    }

    public String createKey(String tenant, boolean operator, ApiKey.KeyLimits limits) {
        KeySecrets.NewKey key = KeySecrets.create(tenant, operator, limits, java.time.Instant.now(), "redis");
        controlPlane.apiKeys().put(key.record().id(), key.record().fields());
        return key.key();
    }

    /** Starts an API node with these API settings (port 0 = a free one). */
    public ApiNode node(Map<String, String> apiEnv) {
        Map<String, String> env = new HashMap<>(apiEnv);
        env.putIfAbsent("API_HOST", "127.0.0.1");
        // why: the tests serve avatar images from 127.0.0.1
        env.putIfAbsent("IMAGE_FETCH_ALLOW_PRIVATE", "true");
        env.put("API_PORT", "0");
        ApiNode node = ApiNode.start(ApiSettings.from(env), AccessSettings.from(env), controlPlane, Clock.systemUTC());
        nodes.add(node);
        return node;
    }

    public ApiNode node() {
        return node(Map.of());
    }

    /** GET, answering status and body. */
    public HttpResponse<String> get(ApiNode node, String path) {
        return send(node, HttpRequest.newBuilder(uri(node, path)).GET().build());
    }

    public HttpResponse<String> post(ApiNode node, String path) {
        return send(node, HttpRequest.newBuilder(uri(node, path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * {@code POST /launch} in the plugin's JSON shape for {@code room}, the avatar {@code identity} in its token, with
     * {@code Authorization: Bearer key} (none when null) and any further headers (name, value, ...).
     */
    public HttpResponse<String> launch(ApiNode node, String key, String room, String identity, String... headers) {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + TestTokens.avatar(room, identity)
                + "\",\"room_name\":\"" + room + "\",\"mode\":\"gpu\"}";
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(node, "/launch")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return send(node, r.build());
    }

    /** GET with {@code Authorization: Bearer key}. */
    public HttpResponse<String> get(ApiNode node, String path, String key) {
        return send(node, HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + key).GET().build());
    }

    /** POST without a body, with {@code Authorization: Bearer key}. */
    public HttpResponse<String> post(ApiNode node, String path, String key) {
        return send(node, HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<String> send(ApiNode node, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static URI uri(ApiNode node, String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (String id : workers.keySet()) {
            try {
                controlPlane.registry().deregister(id);
            } catch (RuntimeException ignored) {
                // best effort; the prefix is unique anyway
            }
        }
        nodes.forEach(ApiNode::close);
        controlPlane.close();
        http.close();
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
