package dev.avatarfleet.common.health;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.util.List;

/**
 * Helidon's health observer at {@code /observe/health} (and {@code /observe/health/ready},
 * {@code /observe/health/live}) with the node's checks and their details; it sits beside the bitHuman-shaped
 * {@code /health} and {@code /ready}, which keep their bodies.
 * <pre>
 * curl -i http://127.0.0.1:8089/observe/health
 * 200 {"status":"UP","checks":[{"name":"redis","status":"UP","data":{...}},{"name":"kafka",...}]}   (503 and DOWN when one fails)
 * </pre>
 */
public final class HealthObserverFeature {

    private HealthObserverFeature() {
    }

    /** The observe feature with only the health observer (no discovered observers, no built-in system checks). */
    public static ObserveFeature of(List<? extends HealthCheck> checks) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addHealthChecks(checks)
                .build();
        return ObserveFeature.builder()
                .observersDiscoverServices(false)
                .addObserver(health)
                // why: above the routing's own weight (100), so its routes come before the JSON 404 catch-all
                .weight(200)
                .build();
    }
}
