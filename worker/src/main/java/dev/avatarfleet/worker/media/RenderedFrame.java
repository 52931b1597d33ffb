package dev.avatarfleet.worker.media;

/**
 * One session's output of one tick: the video frame and the 40 ms of audio it was rendered from. Its arrays are the
 * session's own buffers, rewritten every tick: they are valid while {@link TickSink#accept} runs; a sink that keeps
 * them past its return copies them first ({@link #copy()}).
 *
 * @param tick     the session's tick number, 0 for its first frame
 * @param width    frame width in pixels
 * @param height   frame height in pixels
 * @param i420     the frame as I420 planes (Y, then U, then V), ready for the encoder
 * @param audio    the tick's audio, {@link AudioFeed#SAMPLES_PER_TICK} mono int16 samples at 48 kHz
 * @param speaking whether the audio held speech
 */
public record RenderedFrame(long tick, int width, int height, byte[] i420, short[] audio, boolean speaking) {

    /** The same frame with arrays of its own (for a sink that keeps it). */
    public RenderedFrame copy() {
        return new RenderedFrame(tick, width, height, i420.clone(), audio.clone(), speaking);
    }
}
