package dev.avatarfleet.common.fault;

import java.util.function.Supplier;

import dev.avatarfleet.common.config.FleetSettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the fleet's retries are made (resilience4j), from the declared back-off
 * ({@code RETRY_BACKOFF_MS}, {@code RETRY_MAX_BACKOFF_MS}, {@code RETRY_MAX_ATTEMPTS}): exponential, doubling, capped.
 * Each retry has a name that says what it guards; a failed try is logged with it.
 *
 * <pre>{@code
 * Retry untilRecorded = Retries.untilDone("task-end", settings.backoff());
 * Transition t = untilRecorded.executeSupplier(() -> store.finish(...));
 * }</pre>
 */
public final class Retries {

    private static final Logger LOG = LoggerFactory.getLogger(Retries.class);

    private Retries() {
    }

    /** Tried until it succeeds (or the thread is interrupted), on a dependency that is down. */
    public static Retry untilDone(String name, FleetSettings.Backoff backoff) {
        return build(name, backoff, Integer.MAX_VALUE, DependencyUnavailableException.class);
    }

    /** Tried at most {@code RETRY_MAX_ATTEMPTS} times, on a dependency that is down; then its error is thrown. */
    public static Retry bounded(String name, FleetSettings.Backoff backoff) {
        return build(name, backoff, backoff.maxAttempts(), DependencyUnavailableException.class);
    }

    /** Tried until it succeeds (or the thread is interrupted), on any runtime failure (a loop that must not die). */
    public static Retry forever(String name, FleetSettings.Backoff backoff) {
        return build(name, backoff, Integer.MAX_VALUE, RuntimeException.class);
    }

    /** Runs {@code step} under {@code retry}; the interrupt that ends a wait is kept on the thread. */
    public static <T> T run(Retry retry, Supplier<T> step) {
        return retry.executeSupplier(step);
    }

    @SafeVarargs
    private static Retry build(String name, FleetSettings.Backoff backoff, int attempts, Class<? extends Throwable>... on) {
        Retry retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff.first(), 2.0, backoff.max()))
                .retryExceptions(on)
                .failAfterMaxAttempts(false)
                .build());
        retry.getEventPublisher().onRetry(e -> {
            // why: the first failure of a run says what broke; later ones are counted, not repeated at warn
            if (e.getNumberOfRetryAttempts() == 1 || e.getNumberOfRetryAttempts() % 10 == 0) {
                LOG.warn("{}: try {} failed ({}); next in {} ms", name, e.getNumberOfRetryAttempts(),
                        e.getLastThrowable() == null ? "?" : e.getLastThrowable().getMessage(), e.getWaitInterval().toMillis());
            }
        });
        return retry;
    }
}
