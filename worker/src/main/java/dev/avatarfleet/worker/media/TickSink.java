package dev.avatarfleet.worker.media;

/**
 * Takes each tick's output of one session, typically to publish it. Called on the render thread
 * once per tick: it must hand the frame off and return, never block.
 */
@FunctionalInterface
public interface TickSink {
    void accept(RenderedFrame frame);
}
