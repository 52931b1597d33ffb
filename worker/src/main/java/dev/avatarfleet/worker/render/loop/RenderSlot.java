package dev.avatarfleet.worker.render.loop;

/** One session's place in the render batch. Closing it detaches the session before the next tick. */
public interface RenderSlot extends AutoCloseable {
    @Override
    void close();
}
