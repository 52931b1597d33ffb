package dev.avatarfleet.common.health;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A readiness check for Helidon's health observer that runs one bounded call to a dependency (Redis, Kafka,
 * the model) and is UP when it answers; a {@link DependencyUnavailableException} (or any failure) is DOWN with
 * its message. The call's own details (brokers, live workers) go into the check's {@code data}.
 */
public final class DependencyCheck implements HealthCheck {

    private final String name;
    private final Supplier<Map<String, Object>> probe;

    private DependencyCheck(String name, Supplier<Map<String, Object>> probe) {
        this.name = name;
        this.probe = probe;
    }

    /**
     * @param name  the check's name in {@code /observe/health} ({@code redis}, {@code kafka}, {@code model})
     * @param probe one bounded call; its answer is the check's details, a throw means DOWN
     */
    public static DependencyCheck of(String name, Supplier<Map<String, Object>> probe) {
        return new DependencyCheck(name, probe);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder();
        try {
            Map<String, Object> details = probe.get();
            response.status(HealthCheckResponse.Status.UP);
            details.forEach(response::detail);
        } catch (DependencyUnavailableException e) {
            response.status(HealthCheckResponse.Status.DOWN).detail("error", e.getMessage());
        } catch (RuntimeException e) {
            response.status(HealthCheckResponse.Status.DOWN).detail("error", e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return response.build();
    }
}
