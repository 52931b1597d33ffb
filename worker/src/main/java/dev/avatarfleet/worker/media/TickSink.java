package dev.avatarfleet.worker.media;

/**
 * Takes each tick's output of one session, typically to publish it. Called on the render thread
 * once per tick: it must hand the frame off and return, never block.
 */
public interface TickSink {
    void accept(RenderedFrame frame);

    /**
     * Whether the sink uses the video now; when not, the render loop does not render the session's frame (the
     * frame it gets carries the tick's audio and the last picture).
     */
    default boolean wantsVideo() {
        return true;
    }
}
