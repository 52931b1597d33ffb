package dev.avatarfleet.worker.render.model;

/**
 * The period every idle motion of a model (blinks, breathing, sway) must repeat with, so that a silent avatar's
 * frames can be rendered once per avatar as a seamless loop ({@code render.loop.IdleLoops}) and a live session shows
 * exactly the loop's frame for its clock: each idle function of {@code t} is periodic with {@link #PERIOD_SECONDS}
 * (its frequencies multiples of 1 / 6.4 s). A model whose silent frames at {@code t} and {@code t + PERIOD_SECONDS}
 * differ gets no loop (the worker checks, and renders its silent sessions live).
 */
public final class IdleMotion {

    /** Ticks in one loop: 160 ticks of 40 ms. */
    public static final int PERIOD_TICKS = 160;
    /** Seconds in one loop. */
    public static final float PERIOD_SECONDS = PERIOD_TICKS * 0.04f;
    /** The lowest idle frequency; every idle frequency is a whole multiple of it. */
    public static final double BASE_HZ = 1.0 / PERIOD_SECONDS;

    private IdleMotion() {
    }
}
