package dev.avatarfleet.api;

import dev.avatarfleet.api.access.AccessSettings;
import dev.avatarfleet.api.dashboard.TryItSettings;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.Redact;
import dev.avatarfleet.common.logging.Logging;
import dev.avatarfleet.common.secret.LaunchRecordKeys;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * The API node: {@code java -cp ... dev.avatarfleet.api.ApiMain}. Every setting comes from the
 * environment (README, "API node settings"); a wrong one stops the process with its name.
 */
public final class ApiMain {
    private ApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApiSettings settings;
        AccessSettings access;
        TryItSettings tryIt;
        FleetSettings fleet;
        try {
            Env env = Env.system();
            Logging.start(env);
            settings = ApiSettings.fromEnvironment(env);
            access = AccessSettings.fromEnvironment(env);
            tryIt = TryItSettings.fromEnvironment(env);
            fleet = FleetSettings.fromEnvironment(env);
            LaunchRecordKeys.configureFrom(env, "api");
            // why: a certificate or key that cannot be read stops the start here, with the variable's name
            settings.tls().serverTls();
        } catch (IllegalArgumentException e) {
            System.err.println("avatar-fleet api: bad setting: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.bithumanApiSecret() == null) {
            System.err.println("avatar-fleet api: BITHUMAN_API_SECRET is not set: sessions run, but a launch without"
                    + " its own api_secret is accounted to no billing secret (billing_key_id stays null)");
        }
        ControlPlane controlPlane = ControlPlane.connect(fleet, Clock.systemUTC());
        ApiNode node = ApiNode.start(settings, access, tryIt, controlPlane, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            controlPlane.close();
            stopped.countDown();
            // why: SIGTERM ends in a drain that finished its work; say so with 0 (the JVM's own code would be 143)
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }, "api-shutdown"));
        System.out.println("avatar-fleet api listening on " + (settings.tls().enabled() ? "https" : "http") + "://" + settings.host() + ":" + node.port()
                + " (kafka " + fleet.kafkaBootstrapServers() + ", redis " + Redact.url(fleet.redisUrl()) + ")");
        // why: a node anyone can use must say so where its operator looks first
        System.out.println(switch (node.authMode()) {
            case OPEN -> "avatar-fleet api: OPEN: no API key is configured (API_KEYS, API_KEYS_FILE, Redis), every route answers"
                    + " anyone; /health says \"auth\":\"open\"";
            case KEYS -> "avatar-fleet api: API keys required on every route but /health, /ready, /metrics";
            case UNKNOWN -> "avatar-fleet api: the API keys in Redis are not readable yet: guarded routes answer 503 until they are";
        });
        System.out.flush();
        stopped.await();
    }
}
