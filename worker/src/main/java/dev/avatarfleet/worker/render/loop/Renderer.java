package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.TickSink;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;

/**
 * The worker's one render loop. Every 40 ms it pulls a tick of audio from each attached session,
 * runs the model once for the whole batch, and hands each session its frame.
 */
public interface Renderer extends AutoCloseable {

    /**
     * Adds a session to the batch from the next tick on.
     *
     * @return the handle that detaches it again
     */
    RenderSlot attach(String sessionId, PreparedAvatar avatar, AudioFeed audio, TickSink sink);

    /** True while the loop cannot keep 25 FPS with the sessions it holds: take no more. */
    boolean saturated();

    @Override
    void close();
}
