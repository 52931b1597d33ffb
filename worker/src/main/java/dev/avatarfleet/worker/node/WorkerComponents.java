package dev.avatarfleet.worker.node;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.avatarfleet.worker.session.SessionFactory;
import io.helidon.webserver.http.HttpService;

/**
 * What a worker runs that is not the control plane: the session factory, the model warm-up and
 * extra HTTP services for the worker's server (e.g. the renderer's {@code /benchmark} and
 * {@code /test-frame}). {@code WorkerMain} wires the real ones ({@code AvatarRuntime}: the render engine
 * and the LiveKit session factory).
 *
 * @param sessions     starts every session the node claims; it warms the model itself when the node did not
 *                     ({@code AUTO_PREWARM=false})
 * @param warmup       what the node runs ahead of its first claim when {@code AUTO_PREWARM=true}
 * @param httpServices each mounted at {@code /} on the worker's server beside {@code /health} and {@code /ready}
 * @param saturated    true while the render loop cannot keep 25 FPS: the worker claims nothing more
 * @param capacity     the sessions the worker can carry now, from what a session costs it (the node offers the
 *                     smaller of this and {@code MAX_SESSIONS})
 */
public record WorkerComponents(SessionFactory sessions, ModelWarmup warmup, List<HttpService> httpServices,
                               BooleanSupplier saturated, IntSupplier capacity) {

    public WorkerComponents {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(saturated, "saturated");
        Objects.requireNonNull(capacity, "capacity");
        httpServices = List.copyOf(httpServices);
    }

    /** Components whose capacity is never below {@code MAX_SESSIONS}. */
    public WorkerComponents(SessionFactory sessions, ModelWarmup warmup, List<HttpService> httpServices, BooleanSupplier saturated) {
        this(sessions, warmup, httpServices, saturated, () -> Integer.MAX_VALUE);
    }

    /** Components whose sessions never saturate the worker (tests, the unbuilt default). */
    public WorkerComponents(SessionFactory sessions, ModelWarmup warmup, List<HttpService> httpServices) {
        this(sessions, warmup, httpServices, () -> false);
    }
}
