package dev.avatarfleet.worker.media;

/**
 * One session's output of one tick: the video frame and the 40 ms of audio it was rendered from.
 *
 * @param tick     the session's tick number, 0 for its first frame
 * @param width    frame width in pixels
 * @param height   frame height in pixels
 * @param i420     the frame as I420 planes (Y, then U, then V), ready for the encoder
 * @param audio    the tick's audio, {@link AudioFeed#SAMPLES_PER_TICK} mono int16 samples at 48 kHz
 * @param speaking whether the audio held speech
 */
public record RenderedFrame(long tick, int width, int height, byte[] i420, short[] audio, boolean speaking) {
}
