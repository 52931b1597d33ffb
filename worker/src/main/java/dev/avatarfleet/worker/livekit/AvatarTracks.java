package dev.avatarfleet.worker.livekit;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TickSink;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import livekit.LivekitModels;
import livekit.LivekitRtc.AddTrackRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The avatar's two local tracks, {@code avatar_video} (CAMERA) and {@code avatar_audio} (MICROPHONE),
 * on custom sources fed one render tick at a time: the tick's I420 frame and its 40 ms of audio
 * (four 10 ms pieces of 480 samples) are pushed together, so they leave in sync. Must be created on a
 * factory whose audio module does not capture (the dummy audio layer; reference sfu-forwarding.md).
 */
public final class AvatarTracks implements TickSink, AutoCloseable {

    public static final String VIDEO_NAME = "avatar_video";
    public static final String AUDIO_NAME = "avatar_audio";
    /** The bitHuman container's encoding: one layer, 2 Mbps, 25 fps (reference §1.6). */
    public static final int MAX_BITRATE = 2_000_000;
    private static final int SAMPLES_PER_PUSH = AudioFeed.SAMPLE_RATE / 100;

    private static final Logger LOG = LoggerFactory.getLogger(AvatarTracks.class);

    private final int width;
    private final int height;
    private final CustomVideoSource videoSource = new CustomVideoSource();
    private final CustomAudioSource audioSource = new CustomAudioSource();
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final byte[] audioBytes = new byte[SAMPLES_PER_PUSH * 2];
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong framesPushed = new AtomicLong();
    private volatile boolean videoWanted = true;
    private int disposeFailures;
    private final Object pushLock = new Object();

    public AvatarTracks(PeerConnectionFactory factory, int width, int height) {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("video size must be even and at least 16x16, was " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        // why: LiveKit matches the SDP track id to the AddTrackRequest cid, so the id is the cid
        this.videoTrack = factory.createVideoTrack("TR_v" + shortId(), videoSource);
        this.audioTrack = factory.createAudioTrack("TR_a" + shortId(), audioSource);
    }

    public VideoTrack videoTrack() {
        return videoTrack;
    }

    public AudioTrack audioTrack() {
        return audioTrack;
    }

    public AddTrackRequest videoRequest() {
        return AddTrackRequest.newBuilder()
                .setCid(videoTrack.getId())
                .setName(VIDEO_NAME)
                .setType(LivekitModels.TrackType.VIDEO)
                .setSource(LivekitModels.TrackSource.CAMERA)
                .setWidth(width)
                .setHeight(height)
                .addLayers(LivekitModels.VideoLayer.newBuilder()
                        .setQuality(LivekitModels.VideoQuality.HIGH)
                        .setWidth(width).setHeight(height).setBitrate(MAX_BITRATE))
                .build();
    }

    public AddTrackRequest audioRequest() {
        return AddTrackRequest.newBuilder()
                .setCid(audioTrack.getId())
                .setName(AUDIO_NAME)
                .setType(LivekitModels.TrackType.AUDIO)
                .setSource(LivekitModels.TrackSource.MICROPHONE)
                .build();
    }

    /** Sendonly, one encoding: 2 Mbps, 25 fps, no simulcast. */
    public RTCRtpTransceiverInit videoInit(String streamId) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        init.streamIds = List.of(streamId);
        RTCRtpEncodingParameters encoding = new RTCRtpEncodingParameters();
        encoding.active = true;
        encoding.maxBitrate = MAX_BITRATE;
        encoding.maxFramerate = (double) RenderClock.FPS;
        init.sendEncodings = List.of(encoding);
        return init;
    }

    public RTCRtpTransceiverInit audioInit(String streamId) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        init.streamIds = List.of(streamId);
        return init;
    }

    /** H.264 first, VP8 as the fallback, then the repair codecs; other video codecs are left out. */
    public static void preferH264(PeerConnectionFactory factory, RTCRtpTransceiver transceiver) {
        List<RTCRtpCodecCapability> codecs = factory.getRtpSenderCapabilities(MediaType.VIDEO).getCodecs();
        List<RTCRtpCodecCapability> ordered = new ArrayList<>();
        for (String name : List.of("h264", "vp8", "rtx", "red", "ulpfec")) {
            for (RTCRtpCodecCapability codec : codecs) {
                if (codec.getName().toLowerCase(Locale.ROOT).equals(name)) {
                    ordered.add(codec);
                }
            }
        }
        if (ordered.isEmpty()) {
            return;
        }
        try {
            transceiver.setCodecPreferences(ordered);
        } catch (RuntimeException e) {
            LOG.warn("codec preferences refused, the default order stays: " + e.getMessage());
        }
    }

    @Override
    public void accept(RenderedFrame frame) {
        if (closed.get()) {
            return;
        }
        synchronized (pushLock) {
            if (closed.get()) {
                return;
            }
            if (videoWanted) {
                pushVideo(frame);
            }
            pushAudio(frame.audio());
        }
    }

    /**
     * Whether anyone receives the video now (the server's dynacast signal). While nobody does, no frame reaches the
     * encoder, so nothing is encoded, and the render loop skips the session's frame; the audio goes on. The first
     * frame after a subscriber arrives is encoded as a key frame (the server asks for one).
     */
    public void videoWanted(boolean wanted) {
        if (wanted != videoWanted) {
            LOG.atDebug().log(() -> "video " + (wanted ? "subscribed again: encoding" : "has no subscriber: not encoded"));
        }
        videoWanted = wanted;
    }

    @Override
    public boolean wantsVideo() {
        return videoWanted;
    }

    /** Frames pushed so far. */
    public long framesPushed() {
        return framesPushed.get();
    }

    private void pushVideo(RenderedFrame frame) {
        if (frame.width() != width || frame.height() != height || frame.i420().length < width * height * 3 / 2) {
            return;
        }
        NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
        VideoFrame video = new VideoFrame(buffer, frame.tick() * RenderClock.TICK_NANOS);
        try {
            byte[] src = frame.i420();
            int chromaW = (width + 1) / 2;
            int chromaH = (height + 1) / 2;
            copyPlane(src, 0, width, height, buffer.getDataY(), buffer.getStrideY());
            copyPlane(src, width * height, chromaW, chromaH, buffer.getDataU(), buffer.getStrideU());
            copyPlane(src, width * height + chromaW * chromaH, chromaW, chromaH, buffer.getDataV(), buffer.getStrideV());
            videoSource.pushFrame(video);
            framesPushed.incrementAndGet();
        } finally {
            video.release();
        }
    }

    private static void copyPlane(byte[] src, int offset, int w, int h, ByteBuffer dst, int stride) {
        if (stride == w) {
            dst.put(0, src, offset, w * h);
            return;
        }
        for (int row = 0; row < h; row++) {
            dst.put(row * stride, src, offset + row * w, w);
        }
    }

    private void pushAudio(short[] samples) {
        for (int at = 0; at + SAMPLES_PER_PUSH <= samples.length; at += SAMPLES_PER_PUSH) {
            for (int i = 0; i < SAMPLES_PER_PUSH; i++) {
                short s = samples[at + i];
                audioBytes[2 * i] = (byte) s;
                audioBytes[2 * i + 1] = (byte) (s >> 8);
            }
            audioSource.pushAudio(audioBytes, 16, AudioFeed.SAMPLE_RATE, 1, SAMPLES_PER_PUSH);
        }
    }

    /** Disposes tracks then sources; call after the peer connections have detached them. */
    @Override
    public void close() {
        synchronized (pushLock) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
        }
        dispose(videoTrack::dispose, "video track");
        dispose(audioTrack::dispose, "audio track");
        dispose(videoSource::dispose, "video source");
        dispose(audioSource::dispose, "audio source");
    }

    /** Native objects that refused to be disposed at {@link #close()} (a sender still held one). */
    public int disposeFailures() {
        return disposeFailures;
    }

    private void dispose(Runnable r, String what) {
        try {
            r.run();
        } catch (Throwable e) {
            disposeFailures++;
            LOG.warn(what + " not disposed: " + e.getMessage());
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

}
