package dev.avatarfleet.common.fault;

/** Redis (task store, fleet registry, image store) is unavailable. */
public final class StoreUnavailableException extends DependencyUnavailableException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String dependency() {
        return "redis";
    }
}
