package dev.avatarfleet.api;

import dev.avatarfleet.api.dashboard.DashboardService;
import dev.avatarfleet.api.dashboard.EventsService;
import dev.avatarfleet.api.dashboard.FleetService;
import dev.avatarfleet.api.dashboard.FleetView;
import dev.avatarfleet.api.dashboard.OpenApiService;
import dev.avatarfleet.api.dashboard.TryItSettings;
import dev.avatarfleet.api.dashboard.TryService;
import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.api.access.AccessSettings;
import dev.avatarfleet.api.access.Fingerprints;
import dev.avatarfleet.api.access.KeyDirectory;
import dev.avatarfleet.api.access.KeyFile;
import dev.avatarfleet.api.access.LaunchGate;
import dev.avatarfleet.api.access.LaunchLimiter;
import dev.avatarfleet.api.fleet.FleetLaunchIntake;
import dev.avatarfleet.api.fleet.RegistryWorkerDirectory;
import dev.avatarfleet.api.fleet.TaskEndWaiter;
import dev.avatarfleet.api.health.HealthService;
import dev.avatarfleet.api.http.HeaderLimits;
import dev.avatarfleet.api.http.RequestReadDeadline;
import dev.avatarfleet.api.image.AvatarImageCheck;
import dev.avatarfleet.api.image.DownloadTargetGuard;
import dev.avatarfleet.api.image.ImageDownloader;
import dev.avatarfleet.api.image.ImageResolver;
import dev.avatarfleet.api.launch.LaunchFormReader;
import dev.avatarfleet.api.launch.LaunchService;
import dev.avatarfleet.api.launch.LaunchValidator;
import dev.avatarfleet.api.metrics.ApiObservability;
import dev.avatarfleet.api.proxy.WorkerProxyService;
import dev.avatarfleet.api.tasks.TaskReplayer;
import dev.avatarfleet.api.tasks.TaskService;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.Retries;
import dev.avatarfleet.common.fleet.PendingSweeper;
import dev.avatarfleet.common.http.ErrorMapping;
import io.github.resilience4j.retry.Retry;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running API node: the Helidon server and the fleet state it serves from. Started by
 * {@link ApiMain} and by the real-server tests (several nodes may share one Redis and Kafka).
 */
public final class ApiNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiNode.class);

    private final WebServer server;
    private final ImageDownloader downloader;
    private final RequestReadDeadline readDeadline;
    private final Thread topicSetup;
    private final ApiObservability observability;
    private final FleetView fleet;
    private final KeyDirectory keys;
    private final List<HttpService> services;
    private final PendingSweeper sweeper;

    private ApiNode(WebServer server, ImageDownloader downloader, RequestReadDeadline readDeadline, Thread topicSetup,
                    ApiObservability observability, FleetView fleet, KeyDirectory keys, List<HttpService> services,
                    PendingSweeper sweeper) {
        this.fleet = fleet;
        this.keys = keys;
        this.services = services;
        this.server = server;
        this.downloader = downloader;
        this.readDeadline = readDeadline;
        this.topicSetup = topicSetup;
        this.observability = observability;
        this.sweeper = sweeper;
    }

    /** Builds the services over {@code controlPlane} and starts listening, with the access settings' defaults and try-it off. */
    public static ApiNode start(ApiSettings settings, ControlPlane controlPlane, Clock clock) {
        return start(settings, AccessSettings.from(java.util.Map.of()), controlPlane, clock);
    }

    /** As {@link #start(ApiSettings, AccessSettings, TryItSettings, ControlPlane, Clock)} with try-it off. */
    public static ApiNode start(ApiSettings settings, AccessSettings accessSettings, ControlPlane controlPlane, Clock clock) {
        return start(settings, accessSettings, new TryItSettings(null, null, null), controlPlane, clock);
    }

    /** Builds the services over {@code controlPlane} and starts listening; {@code tryIt} is the try-it page's room server. */
    public static ApiNode start(ApiSettings settings, AccessSettings accessSettings, TryItSettings tryIt,
                                ControlPlane controlPlane, Clock clock) {
        byte[] configuredSalt = accessSettings.fingerprintSalt();
        Fingerprints fingerprints = new Fingerprints(configuredSalt != null ? () -> configuredSalt
                : () -> controlPlane.secrets().getOrCreate("fingerprint-salt", 32));
        KeyDirectory keys = new KeyDirectory(settings.apiKeys(), accessSettings.keysFile() == null ? null : new KeyFile(accessSettings.keysFile()),
                controlPlane.apiKeys(), fingerprints, clock).start(accessSettings.keysRefresh());
        AccessFilter access = new AccessFilter(keys, accessSettings.trustedProxies(), controlPlane.store()::tenantOf);
        LaunchLimiter limiter = new LaunchLimiter(controlPlane.rateLimits(), accessSettings.launchRate(), accessSettings.tenantMaxSessions());
        ImageDownloader downloader = new ImageDownloader(settings.imageFetchConnectTimeout(), settings.imageFetchTimeout(),
                settings.imageFetchMaxRedirects(), settings.maxImageBytes(),
                new DownloadTargetGuard(settings.imageFetchAllowPrivate()));
        AvatarImageCheck imageCheck = new AvatarImageCheck(settings.imageLimits());
        // why: the first launch after a start would load the image decoders (~300 ms cold); load them before listening
        imageCheck.warmUp();
        ImageResolver images = new ImageResolver(downloader, imageCheck);
        ApiObservability observability = ApiObservability.start(nodeId(settings), controlPlane, clock);
        // why: a replay by hand (POST /tasks/{id}/replay) is counted beside the workers' dead_worker and hand_back replays
        TaskService tasks = new TaskService(controlPlane.store(),
                new TaskReplayer(controlPlane.store(), controlPlane.taskLog(), controlPlane.images()),
                () -> observability.metrics().replayed("manual"));
        FleetView fleet = new FleetView(controlPlane.registry(), clock);
        List<HttpService> services = List.of(
                new LaunchService(new LaunchGate(access, limiter), fingerprints,
                        new LaunchFormReader(settings.maxUploadBytes(), settings.maxImageBytes()),
                        new LaunchValidator(clock, settings.maxImageBytes()), images,
                        new FleetLaunchIntake(controlPlane.store(), controlPlane.images(), controlPlane.taskLog()),
                        new TaskEndWaiter(controlPlane.store(), clock), settings.syncLaunchTimeout(), settings.bithumanApiSecret()),
                new HealthService(controlPlane.registry()::totals, () -> keys.mode().wire()),
                tasks,
                new WorkerProxyService(new RegistryWorkerDirectory(controlPlane.registry()), settings.proxyTimeout(),
                        settings.proxyMaxBytes()),
                observability.metricsService(),
                new FleetService(fleet),
                new EventsService(fleet::snapshot, tasks),
                new TryService(tryIt, clock),
                new OpenApiService(),
                new DashboardService());
        RequestLimits limits = settings.requestLimits();
        RequestReadDeadline readDeadline = new RequestReadDeadline(limits.readTimeout());
        var builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // why: a Content-Length over the limit is refused before reading; chunked bodies are bounded while read
                .maxPayloadSize(settings.maxUploadBytes())
                // why: SIGTERM closes the listener at once and lets the requests in flight finish (a launch mid-produce)
                .shutdownGracePeriod(settings.shutdownGrace())
                // why: a keep-alive connection, or one trickling its request line, is closed once idle this long
                .idleConnectionTimeout(limits.readTimeout())
                .idleConnectionPeriod(idleCheckPeriod(limits.readTimeout()))
                .connectionOptions(socket -> socket.readTimeout(limits.readTimeout()))
                // why: otherwise the service loader adds a default HTTP/1 configuration beside ours, and it is used
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder()
                        .maxPrologueLength(limits.maxRequestLineBytes())
                        .maxHeadersSize(HeaderLimits.parserBound(limits.maxHeaderBytes()))
                        .addReceiveListener(both(readDeadline, new HeaderLimits(limits.maxHeaderBytes(), limits.maxHeaderCount())))
                        .build())
                .directHandlers(ErrorMapping.directHandlers())
                .routing(routing -> {
                    routing.addFilter(readDeadline::filter);
                    ApiRouting.routing(routing.addFilter(observability.launchFilter()), access, services);
                })
                .addFeature(observability.healthFeature());
        Optional<Tls> tls = settings.tls().serverTls();
        tls.ifPresent(builder::tls);
        WebServer server = builder.build().start();
        warmHttpPath(settings.host(), server.port(), tls);
        observability.launchFilter().startCounting();
        Thread topicSetup = Thread.ofVirtual().name("ensure-launch-topic").start(() -> ensureTopic(controlPlane));
        FleetSettings fleetSettings = controlPlane.settings();
        // why: any node finds a task an API node admitted and then died before producing; one lease holder at a time
        PendingSweeper sweeper = new PendingSweeper(controlPlane.store(), controlPlane.registry(), controlPlane.requeue(),
                controlPlane.lease("pending-sweeper", "api-" + UUID.randomUUID(), PendingSweeper.leaseTime(fleetSettings.recovery())),
                fleetSettings.recovery()).start();
        return new ApiNode(server, downloader, readDeadline, topicSetup, observability, fleet, keys, services, sweeper);
    }

    /**
     * The node's {@code node_id} in its metrics: {@code <hostname>-<port>} like a worker's default id (a pod's
     * name in Kubernetes); with port 0 (tests) a random suffix in place of the port.
     */
    private static String nodeId(ApiSettings settings) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "api";
        }
        return host + "-" + (settings.port() == 0 ? "api" + java.util.UUID.randomUUID().toString().substring(0, 6) : settings.port());
    }

    /** The node's meters ({@code /metrics}). */
    public ApiObservability observability() {
        return observability;
    }

    /**
     * One receive listener that calls two. why: Helidon 4.5.0 combines two or more listeners into one whose
     * {@code prologue} and {@code headers} do nothing; a single listener is called directly.
     */
    private static Http1ConnectionListener both(Http1ConnectionListener first, Http1ConnectionListener second) {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                first.prologue(ctx, prologue);
                second.prologue(ctx, prologue);
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                first.headers(ctx, headers);
                second.headers(ctx, headers);
            }
        };
    }

    /** How often idle connections are looked for: a tenth of the timeout, 1 to 30 s. */
    private static Duration idleCheckPeriod(Duration timeout) {
        long millis = Math.max(1000, Math.min(30_000, timeout.toMillis() / 10));
        return Duration.ofMillis(millis);
    }

    /** The services behind the access filter, in the order they are routed (tests walk their routes). */
    public List<HttpService> services() {
        return services;
    }

    /** Whether keys are required now: {@code open}, {@code keys} or {@code unknown} (Redis not read yet). */
    public KeyDirectory.Mode authMode() {
        return keys.mode();
    }

    /** The port the node listens on (the real one when started with port 0). */
    public int port() {
        return server.port();
    }

    private static void ensureTopic(ControlPlane controlPlane) {
        // why: the node serves /health at once; the topic is created (idempotently) as soon as Kafka answers
        Retry untilCreated = Retries.forever("creating the launch topic", controlPlane.settings().backoff());
        try {
            untilCreated.executeRunnable(() -> {
                controlPlane.taskLog().ensureTopic();
                warmUp(controlPlane);
            });
        } catch (RuntimeException e) {
            LOG.warn("launch topic not ensured: {}", e.getMessage());
        }
    }

    /**
     * One {@code POST /launch} to this node itself, refused by validation (its token is no token), so the
     * first real launch meets a warm HTTP pipeline, JSON body reader and error path. Creates no task.
     */
    private static void warmHttpPath(String host, int port, Optional<Tls> serverTls) {
        String target = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
        String body = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"warmup\",\"room_name\":\"warmup\","
                + "\"image\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[1024]) + "\"}";
        if (serverTls.isPresent()) {
            warmHttpsPath(target, port, serverTls.get(), body);
            return;
        }
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://" + (target.contains(":") ? "[" + target + "]" : target) + ":" + port + "/launch"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            LOG.debug("launch path warm-up answered {}", r.statusCode());
        } catch (java.io.IOException e) {
            LOG.warn("launch path warm-up request failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The same warm-up over TLS: the handshake and the TLS record path are warm too. */
    private static void warmHttpsPath(String target, int port, Tls serverTls, String body) {
        Tls ownCertificateOnly = Tls.builder()
                .trust(serverTls.prototype().privateKeyCertChain())
                // why: a request to this node itself, on an address its certificate need not name; it trusts nothing else
                .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE)
                .build();
        String uri = "https://" + (target.contains(":") ? "[" + target + "]" : target) + ":" + port + "/launch";
        try (HttpClientResponse r = WebClient.builder().tls(ownCertificateOnly).connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5)).shareConnectionCache(false).build()
                .post(uri).header(HeaderNames.CONTENT_TYPE, "application/json").submit(body)) {
            LOG.debug("launch path warm-up over TLS answered {}", r.status().code());
        } catch (RuntimeException e) {
            LOG.warn("launch path warm-up request over TLS failed: {}", e.getMessage());
        }
    }

    /** The first launch's Kafka and Redis round trips, paid at start: the topic's metadata, the task scripts. */
    private static void warmUp(ControlPlane controlPlane) {
        long start = System.nanoTime();
        controlPlane.taskLog().warmUp();
        try {
            controlPlane.store().warmUp();
        } catch (RuntimeException e) {
            // why: the scripts load themselves on first use anyway; this only saves the first launch its cold path
            LOG.warn("task store not warmed: {}", e.getMessage());
        }
        LOG.info("launch path warm (topic metadata, task scripts) in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        sweeper.close();
        topicSetup.interrupt();
        server.stop();
        keys.close();
        readDeadline.close();
        downloader.close();
        observability.close();
        fleet.close();
    }
}
