package dev.avatarfleet.worker.render.avatar;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What preparation derives from an avatar's frame once, for every later tick: the patch's RGB (the model's input)
 * and the whole frame as I420 (the background the rendered patch is composed into). The I420 conversion is OpenCV's,
 * the one the native synthesis writes the patch with, so the two agree at the patch border.
 */
public final class PatchCut {

    private PatchCut() {
    }

    /** The patch's pixels, P x P x 3 RGB, cut from a width x height x 3 RGB frame. */
    public static byte[] patchRgb(byte[] rgb, int width, PatchRegion patch) {
        int p = patch.size();
        byte[] out = new byte[p * p * 3];
        for (int row = 0; row < p; row++) {
            System.arraycopy(rgb, ((patch.y() + row) * width + patch.x()) * 3, out, row * p * 3, p * 3);
        }
        return out;
    }

    /** The frame as I420 planes (Y, then U, then V; BT.601 limited range, chroma from each 2 x 2 block). */
    public static byte[] i420(byte[] rgb, int width, int height) {
        try (Mat src = new Mat(height, width, opencv_core.CV_8UC3); Mat dst = new Mat()) {
            new BytePointer(src.data()).put(rgb, 0, rgb.length);
            opencv_imgproc.cvtColor(src, dst, opencv_imgproc.COLOR_RGB2YUV_I420);
            byte[] out = new byte[width * height * 3 / 2];
            new BytePointer(dst.data()).get(out, 0, out.length);
            return out;
        }
    }
}
