package dev.avatarfleet.worker.render.loop;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the render loop's time goes, summed over its ticks: each {@link Stage}'s wall time on the loop's thread.
 * Written by the loop thread, read by anyone (the benchmark's per-stage table, the capacity estimate).
 */
public final class StageTimes {

    /** The stages of one tick, in order. */
    public enum Stage {
        /** pulling each session's 40 ms of audio and downsampling it for the model */
        AUDIO,
        /** the model call: inputs written, the graph run, outputs read back */
        MODEL,
        /** each session's frame made ready for its sink: copied out, or composed into the background */
        FRAME,
        /** the sinks: the frame copied into the encoder's native buffer and pushed, the audio pushed */
        PUSH
    }

    private final AtomicLongArray nanos = new AtomicLongArray(Stage.values().length);

    void add(Stage stage, long elapsed) {
        nanos.addAndGet(stage.ordinal(), elapsed);
    }

    /** Total nanoseconds spent in {@code stage} so far. */
    public long nanos(Stage stage) {
        return nanos.get(stage.ordinal());
    }

    /** A copy of every stage's total, indexed by {@link Stage#ordinal()}. */
    public long[] snapshot() {
        long[] out = new long[nanos.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nanos.get(i);
        }
        return out;
    }
}
