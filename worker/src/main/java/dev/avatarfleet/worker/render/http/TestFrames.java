package dev.avatarfleet.worker.render.http;

import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.loop.BatchRenderLoop;
import dev.avatarfleet.worker.render.loop.TickTimer;
import dev.avatarfleet.worker.render.model.BatchModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Renders one avatar talking (the {@link SyntheticSpeech} signal) for a few ticks through the render loop itself (its
 * own loop, stepped without waiting, no idle loop): what {@code /test-frame} and the docs strip show.
 */
public final class TestFrames {

    private TestFrames() {
    }

    /** RGB frames of ticks 0..count-1. */
    public static List<byte[]> talking(BatchModel model, PreparedImage avatar, int count) {
        List<byte[]> frames = new ArrayList<>(count);
        BatchRenderLoop loop = new BatchRenderLoop(model, avatar.width(), avatar.height(), TickTimer.immediate(), null, 1);
        try {
            loop.attach("test-frame", avatar, new SyntheticSpeech(), f -> frames.add(rgb(f.i420(), f.width(), f.height())));
            for (int k = 0; k < count; k++) {
                loop.step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering test frames", e);
        } finally {
            loop.close();
        }
        return frames;
    }

    /** An I420 frame as RGB (BT.601 limited range), for pictures. */
    public static byte[] rgb(byte[] i420, int width, int height) {
        try (Mat src = new Mat(height * 3 / 2, width, opencv_core.CV_8UC1); Mat dst = new Mat()) {
            new BytePointer(src.data()).put(i420, 0, width * height * 3 / 2);
            opencv_imgproc.cvtColor(src, dst, opencv_imgproc.COLOR_YUV2RGB_I420);
            byte[] out = new byte[width * height * 3];
            new BytePointer(dst.data()).get(out, 0, out.length);
            return out;
        }
    }
}
