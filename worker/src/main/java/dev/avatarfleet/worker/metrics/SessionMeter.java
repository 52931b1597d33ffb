package dev.avatarfleet.worker.metrics;

import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TickSink;
import java.util.Map;

/**
 * The meter of one session: wraps the session's {@link TickSink} (the tracks) to time the interval between
 * its frames and to mark its first frame, and turns the publisher connection's outbound-rtp stats into
 * per-frame encode times.
 */
public final class SessionMeter {

    private final String taskId;
    private final WorkerMetrics metrics;
    private long lastFrameNanos = -1;
    private long framesEncoded = -1;
    private double totalEncodeSeconds;

    SessionMeter(String taskId, WorkerMetrics metrics) {
        this.taskId = taskId;
        this.metrics = metrics;
    }

    /** {@code sink}, with each frame it takes timed (called on the render loop's thread). */
    public TickSink measure(TickSink sink) {
        return frame -> {
            sink.accept(frame);
            sent(frame);
        };
    }

    private void sent(RenderedFrame frame) {
        long now = metrics.nanoTime();
        if (lastFrameNanos < 0) {
            metrics.firstFrame(taskId, metrics.now());
        } else {
            metrics.frameInterval(now - lastFrameNanos);
        }
        lastFrameNanos = now;
    }

    /**
     * One outbound-rtp video stats record of the publisher connection ({@code framesEncoded},
     * {@code totalEncodeTime} in seconds, as libwebrtc counts them): the frames encoded since the last record
     * are recorded with the mean encode time of that window.
     */
    public synchronized void outboundVideo(Map<String, Object> attributes) {
        Object frames = attributes.get("framesEncoded");
        Object total = attributes.get("totalEncodeTime");
        if (!(frames instanceof Number f) || !(total instanceof Number t)) {
            return;
        }
        long encoded = f.longValue();
        double seconds = t.doubleValue();
        if (framesEncoded >= 0 && encoded > framesEncoded && seconds >= totalEncodeSeconds) {
            metrics.encoded(encoded - framesEncoded, (seconds - totalEncodeSeconds) / (encoded - framesEncoded));
        }
        framesEncoded = encoded;
        totalEncodeSeconds = seconds;
    }
}
