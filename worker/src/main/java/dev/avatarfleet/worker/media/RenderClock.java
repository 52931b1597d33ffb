package dev.avatarfleet.worker.media;

/** The fixed cadence every worker renders and publishes at. */
public final class RenderClock {

    /** Frames per second of every avatar (the bitHuman container's rate). */
    public static final int FPS = 25;

    /** Nanoseconds between two ticks. */
    public static final long TICK_NANOS = 1_000_000_000L / FPS;

    /** A session's clock at its tick {@code tick}: tick x 40 ms, in seconds (the model's {@code t}). */
    public static float seconds(long tick) {
        return (float) (tick * (TICK_NANOS / 1e9));
    }

    private RenderClock() {
    }
}
