package dev.avatarfleet.devroom.media;

import dev.avatarfleet.devroom.room.ForwardedMedia;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * A published track crossing from the receive factory to the send factory: a sink on the publisher's remote
 * track pushes decoded frames (or 10 ms of PCM) into a custom source whose track every subscriber sends
 * (sfu-forwarding.md, way (b)). One per published track, shared by all its subscribers.
 */
final class ForwardedTrack implements ForwardedMedia {
    private final String trackSid;
    private final MediaStreamTrack remote;
    private final MediaStreamTrack outgoing;
    private final Object source;
    private final Object sink;
    private final Object lock = new Object();
    private final AtomicLong forwarded = new AtomicLong();
    private boolean detached;
    private boolean closed;

    private ForwardedTrack(String trackSid, MediaStreamTrack remote, MediaStreamTrack outgoing, Object source, Object sink) {
        this.trackSid = trackSid;
        this.remote = remote;
        this.outgoing = outgoing;
        this.source = source;
        this.sink = sink;
    }

    static ForwardedTrack video(String trackSid, VideoTrack remote, PeerConnectionFactory tx) {
        CustomVideoSource source = new CustomVideoSource();
        VideoTrack out = tx.createVideoTrack(trackSid, source);
        ForwardedTrack[] self = new ForwardedTrack[1];
        VideoTrackSink sink = frame -> self[0].push(source, frame);
        self[0] = new ForwardedTrack(trackSid, remote, out, source, sink);
        remote.addSink(sink);
        return self[0];
    }

    static ForwardedTrack audio(String trackSid, AudioTrack remote, PeerConnectionFactory tx) {
        CustomAudioSource source = new CustomAudioSource();
        AudioTrack out = tx.createAudioTrack(trackSid, source);
        ForwardedTrack[] self = new ForwardedTrack[1];
        AudioTrackSink sink = (data, bits, rate, channels, frames) -> self[0].push(source, data, bits, rate, channels, frames);
        self[0] = new ForwardedTrack(trackSid, remote, out, source, sink);
        remote.addSink(sink);
        return self[0];
    }

    private void push(CustomVideoSource target, VideoFrame frame) {
        try {
            synchronized (lock) {
                if (!closed) {
                    target.pushFrame(frame);
                    forwarded.incrementAndGet();
                }
            }
        } finally {
            // why: the native sink bridge copies and retains every frame; not releasing leaks a frame per frame
            frame.release();
        }
    }

    private void push(CustomAudioSource target, byte[] data, int bits, int rate, int channels, int frames) {
        synchronized (lock) {
            if (!closed) {
                target.pushAudio(data, bits, rate, channels, frames);
                forwarded.incrementAndGet();
            }
        }
    }

    @Override
    public String trackSid() {
        return trackSid;
    }

    /** @return the send-factory track subscribers add */
    MediaStreamTrack outgoing() {
        return outgoing;
    }

    /** @return frames (video) or 10 ms chunks (audio) pushed so far */
    long forwardedCount() {
        return forwarded.get();
    }

    /** Removes the sink from the publisher's track; must run before the publisher's connection closes. */
    void detach() {
        synchronized (lock) {
            if (detached) {
                return;
            }
            detached = true;
        }
        try {
            if (remote instanceof VideoTrack v) {
                v.removeSink((VideoTrackSink) sink);
            } else if (remote instanceof AudioTrack a) {
                a.removeSink((AudioTrackSink) sink);
            }
        } catch (RuntimeException | Error e) {
            LoggerFactory.getLogger(ForwardedTrack.class).debug("detach {}: {}", trackSid, e.toString());
        }
    }

    @Override
    public void close() {
        detach();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            outgoing.dispose();
            if (source instanceof CustomVideoSource v) {
                v.dispose();
            } else if (source instanceof CustomAudioSource a) {
                a.dispose();
            }
        } catch (RuntimeException | Error e) {
            // why: a sender still holding the track makes dispose throw; leaking one track beats crashing the room
            LoggerFactory.getLogger(ForwardedTrack.class).debug("dispose {}: {}", trackSid, e.toString());
        }
    }
}
