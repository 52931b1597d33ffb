package dev.avatarfleet.worker.node;

import java.util.List;
import java.util.Objects;

import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.worker.session.SessionFactory;
import io.helidon.webserver.http.HttpService;

/**
 * What a worker runs that is not the control plane: the session factory, the model warm-up and
 * extra HTTP services for the worker's server (e.g. the renderer's {@code /benchmark} and
 * {@code /test-frame}). {@link #defaults} is THE place where the real ones are wired in.
 *
 * @param httpServices each mounted at {@code /} on the worker's server beside {@code /health} and {@code /ready}
 */
public record WorkerComponents(SessionFactory sessions, ModelWarmup warmup, List<HttpService> httpServices) {

    public WorkerComponents {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(warmup, "warmup");
        httpServices = List.copyOf(httpServices);
    }

    /**
     * The production wiring.
     * why: the LiveKit participant (issue 5) and the renderer (issue 4) are not merged yet, so the
     * honest default fails every claimed task with an error naming them, and there is no model to
     * warm. At merge, replace these with the renderer's warm-up, its session factory and its services.
     */
    public static WorkerComponents defaults(WorkerSettings settings) {
        return new WorkerComponents(new UnbuiltSessionFactory(), () -> { }, List.of());
    }
}
