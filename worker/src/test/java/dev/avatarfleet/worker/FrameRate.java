package dev.avatarfleet.worker;

/**
 * What the media tests check of the frame rate an agent measures: that the avatar's video keeps its 25 FPS
 * cadence. Not a throughput figure: those are benchmarks (ops/bench), measured on a quiet host.
 */
public final class FrameRate {

    /** Lowest rate still read as the 25 FPS pace: a few ticks lost to a loaded 2-core CI host, never a halved pace. */
    static final double LOWEST = 20.0;
    /** Highest: a 10 s window can count one frame more than 250; a pace of 30 or 50 must fail. */
    static final double HIGHEST = 26.5;

    private FrameRate() {
    }

    /** Whether frames measured at {@code fps} came at the 25 FPS pace. */
    public static boolean isTwentyFiveFps(double fps) {
        return fps >= LOWEST && fps <= HIGHEST;
    }
}
