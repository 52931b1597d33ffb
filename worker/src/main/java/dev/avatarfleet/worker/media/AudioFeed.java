package dev.avatarfleet.worker.media;

/**
 * Where one session's speech comes from. The render loop pulls exactly one tick of audio from
 * every attached session every 40 ms; what it pulls is both rendered (the mouth) and published
 * (the avatar's audio track), so audio and video leave in sync by construction.
 */
public interface AudioFeed {

    /** Samples per second of every tick's audio: mono int16, the rate WebRTC's Opus encoder wants. */
    int SAMPLE_RATE = 48_000;

    /** Samples in one 40 ms tick. */
    int SAMPLES_PER_TICK = SAMPLE_RATE / RenderClock.FPS;

    /**
     * Fills {@code out} (length {@link #SAMPLES_PER_TICK}) with the next 40 ms of speech, zeros where
     * there is none. Called on the render thread: it must not block.
     *
     * @return true when any of the returned samples is speech (not padding silence)
     */
    boolean next(short[] out);
}
