package dev.avatarfleet.common.fault;

/** Kafka (the launch topic) is unavailable. */
public final class TaskLogUnavailableException extends DependencyUnavailableException {

    public TaskLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String dependency() {
        return "kafka";
    }
}
