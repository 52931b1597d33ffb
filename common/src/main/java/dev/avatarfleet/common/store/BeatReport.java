package dev.avatarfleet.common.store;

import java.util.Map;

/**
 * What Redis said in answer to a worker's heartbeat ({@link FleetRegistry#beat}).
 *
 * @param epoch    the current generation of the fleet's Redis data
 * @param verdicts per claim the worker named: what Redis records about it
 * @param unheld   the active tasks Redis records on this worker that it did not name, with their attempt
 */
public record BeatReport(String epoch, Map<String, Verdict> verdicts, Map<String, Integer> unheld) {

    public BeatReport {
        verdicts = Map.copyOf(verdicts);
        unheld = Map.copyOf(unheld);
    }

    /** What Redis records about one claim a worker holds. */
    public enum Verdict {
        /** The task is this claim's. */
        OK,
        /** The task is this claim's, and a stop was asked. */
        STOP,
        /** The task is no longer this claim's (replayed elsewhere, ended, another attempt). */
        LOST,
        /** Redis has no such task (it lost its data). */
        MISSING
    }
}
