package dev.avatarfleet.common.fault;

/**
 * Redis or Kafka did not answer in time, refused, or its circuit is open. API nodes answer 503
 * with {@link #getMessage()} as the reason; workers retry later. Raised once, at the storage
 * boundary, in place of the driver's exception (kept as the cause).
 */
public abstract sealed class DependencyUnavailableException extends RuntimeException
        permits StoreUnavailableException, TaskLogUnavailableException {

    protected DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code redis} or {@code kafka}. */
    public abstract String dependency();
}
