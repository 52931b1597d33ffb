package dev.avatarfleet.api.metrics;

import dev.avatarfleet.common.http.ApiException;

/** How a {@code POST /launch} was answered: the {@code outcome} label of {@code avatarfleet_launches_total}. */
public enum LaunchOutcome {
    /** 200: a task was admitted, or the repeated launch was answered with its task. */
    ACCEPTED("accepted"),
    /** 400, 413, 415: the request itself was wrong. */
    INVALID("invalid"),
    /** 401: no accepted credential. */
    UNAUTHORIZED("unauthorized"),
    /** 503 {@code not_ready} or {@code at_capacity}: admission said no. */
    REFUSED("refused"),
    /** 503 {@code unavailable}: Redis or Kafka did not answer. */
    UNAVAILABLE("unavailable"),
    /** Anything else (a 5xx the node did not mean). */
    ERROR("error");

    private final String label;

    LaunchOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The outcome of a launch refused with {@code e}. */
    public static LaunchOutcome of(ApiException e) {
        int status = e.status().code();
        if (status == 401) {
            return UNAUTHORIZED;
        }
        if (status == 503) {
            return e.code().equals("unavailable") ? UNAVAILABLE : REFUSED;
        }
        return status >= 400 && status < 500 ? INVALID : ERROR;
    }
}
