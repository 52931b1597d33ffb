package dev.avatarfleet.devroom.media;

import dev.avatarfleet.devroom.room.MediaEvents;
import dev.avatarfleet.devroom.room.MediaFactory;
import dev.avatarfleet.devroom.room.Participant;
import dev.avatarfleet.devroom.room.ParticipantMedia;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * The two libwebrtc factories of the server (sfu-forwarding.md): a receive factory with a headless audio
 * module whose playout runs (so remote audio sinks fire, and it never owns an audio send stream), and a send
 * factory with a dummy audio layer (no capture thread racing the forwarded audio). Publisher connections live on
 * the first, subscriber connections on the second.
 */
public final class MediaEngine implements MediaFactory, AutoCloseable {
    private final HeadlessAudioDeviceModule receiveAdm;
    private final AudioDeviceModule sendAdm;
    private final PeerConnectionFactory receive;
    private final PeerConnectionFactory send;
    private boolean closed;

    /** Creates both factories and starts playout on the receive one. */
    public MediaEngine() {
        receiveAdm = new HeadlessAudioDeviceModule();
        receive = new PeerConnectionFactory(receiveAdm);
        receiveAdm.initPlayout();
        receiveAdm.startPlayout();
        sendAdm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        send = new PeerConnectionFactory(sendAdm);
    }

    static RTCConfiguration configuration() {
        RTCConfiguration cfg = new RTCConfiguration();
        cfg.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        cfg.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        return cfg;
    }

    @Override
    public ParticipantMedia create(Participant participant, MediaEvents events) {
        return new WebRtcParticipantMedia(participant, events, receive, send);
    }

    /** Disposes both factories and audio modules; call after every participant left, or the JVM cannot exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            receiveAdm.stopPlayout();
        } catch (RuntimeException | Error e) {
            // why: already stopped; disposal below still has to happen
        }
        receive.dispose();
        send.dispose();
        receiveAdm.dispose();
        sendAdm.dispose();
    }
}
