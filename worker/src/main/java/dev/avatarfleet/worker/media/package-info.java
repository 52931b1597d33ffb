/**
 * What the render loop and the LiveKit side share: the 25 FPS cadence, one tick of speech
 * ({@link dev.avatarfleet.worker.media.AudioFeed}), one tick of output
 * ({@link dev.avatarfleet.worker.media.RenderedFrame}) and where it goes
 * ({@link dev.avatarfleet.worker.media.TickSink}). Depends on nothing else in the worker, so {@code livekit}
 * and {@code render} both import it and neither imports the other.
 */
package dev.avatarfleet.worker.media;
