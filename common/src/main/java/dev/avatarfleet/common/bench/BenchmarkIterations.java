package dev.avatarfleet.common.bench;

/**
 * The {@code iterations} of {@code POST /benchmark?iterations=N}, checked the same way by the API
 * node (before it passes the request on) and by the worker that runs it.
 */
public final class BenchmarkIterations {

    /** When the query does not say, as the seed's example. */
    public static final int DEFAULT = 10;

    /** why: one benchmark holds the worker's model; a thousand calls is minutes on a CPU, never hours. */
    public static final int MAX = 1000;

    private BenchmarkIterations() {
    }

    /**
     * @param raw the query value, or null when absent
     * @throws IllegalArgumentException with the message to answer in a 400
     */
    public static int parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        int n;
        try {
            n = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations must be a whole number");
        }
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("iterations must be between 1 and " + MAX);
        }
        return n;
    }
}
