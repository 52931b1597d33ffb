package dev.avatarfleet.worker.render.model;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The {@link Synthesis} outside TensorFlow, with OpenCV (the worker already ships it for face detection): the motion
 * a model exports ({@code motion_warp}, {@code motion_cavity}) applied to one session's patch. The warp grid is
 * upsampled to P x P by an affine resampling (corners aligned, the graph's bilinear upsampling) and added to the exact
 * identity map, {@code remap} samples the patch bilinearly (positions outside clamped to the border), the cavity
 * darkens the pixels it covers, {@code cvtColor} writes I420.
 * Each step is one vectorised native pass, where the graph needs some thirty: measured in ops/bench/README.md.
 *
 * <p>One per session (its patch stays loaded); every buffer is allocated once. Not thread-safe; close it to free them.
 */
public final class NativeSynthesis implements AutoCloseable {

    private static final int G = FaceMotion.GRID;
    /** Cavity weights below this change no pixel (0.82 x 255 x c < 0.5). */
    private static final float CAVITY_EPSILON = 0.5f / (255 * Synthesis.CAVITY_DARKENING);

    private final int p;
    private final Mat src;
    private final Mat warped;
    private final Mat grid;
    private final Mat warpUp;
    private final Mat identityMap;
    private final Mat map;
    private final Mat i420;
    private final Mat upsample;
    private final Mat noMap = new Mat();
    private final Size size;
    private final Scalar border = new Scalar();
    private final FloatPointer gridData;
    private final BytePointer warpedData;
    private final BytePointer i420Data;
    private final byte[] rowBuffer;
    private byte[] loaded;

    /** @param patchSize P, the model's patch side (even) */
    public NativeSynthesis(int patchSize) {
        this.p = patchSize;
        this.src = new Mat(p, p, opencv_core.CV_8UC3);
        this.warped = new Mat(p, p, opencv_core.CV_8UC3);
        this.grid = new Mat(G, G, opencv_core.CV_32FC2);
        this.warpUp = new Mat(p, p, opencv_core.CV_32FC2);
        this.identityMap = new Mat(p, p, opencv_core.CV_32FC2);
        this.map = new Mat(p, p, opencv_core.CV_32FC2);
        this.i420 = new Mat(p * 3 / 2, p, opencv_core.CV_8UC1);
        this.size = new Size(p, p);
        // why: output pixel x samples grid position x (G-1)/(P-1): the graph's bilinear resize with aligned corners
        double s = (G - 1) / (double) (p - 1);
        this.upsample = new Mat(2, 3, opencv_core.CV_64FC1);
        new org.bytedeco.javacpp.DoublePointer(upsample.data()).put(new double[] {s, 0, 0, 0, s, 0});
        this.gridData = new FloatPointer(grid.data());
        this.warpedData = new BytePointer(warped.data());
        this.i420Data = new BytePointer(i420.data());
        this.rowBuffer = new byte[p * 3];
        // why: the identity is exact per pixel (integers), so a zero warp samples the patch's own pixels: no seam
        float[] id = new float[p * p * 2];
        for (int y = 0; y < p; y++) {
            for (int x = 0; x < p; x++) {
                id[2 * (y * p + x)] = x;
                id[2 * (y * p + x) + 1] = y;
            }
        }
        new FloatPointer(identityMap.data()).put(id, 0, id.length);
    }

    /**
     * Writes row {@code row} of {@code batch} (which must hold the motion: {@link ModelBatch#hasMotion()}) as the
     * patch's I420 planes (P x P luma, then P/2 x P/2 U and V) into {@code dst} at {@code offset}.
     */
    public void render(ModelBatch batch, int row, byte[] dst, int offset) {
        if (!batch.hasMotion()) {
            throw new IllegalStateException("the batch holds no motion (the model does not export it, or patch_i420 was asked for)");
        }
        byte[] patch = batch.patchOf(row);
        if (patch != loaded) {
            new BytePointer(src.data()).put(patch, 0, patch.length);
            loaded = patch;
        }
        gridData.put(batch.warp, row * G * G * 2, G * G * 2);
        opencv_imgproc.warpAffine(grid, warpUp, upsample, size, opencv_imgproc.INTER_LINEAR | opencv_imgproc.WARP_INVERSE_MAP,
                opencv_core.BORDER_REPLICATE, border);
        opencv_core.add(identityMap, warpUp, map);
        opencv_imgproc.remap(src, warped, map, noMap, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, border);
        shade(batch.cavity, row * p * p);
        opencv_imgproc.cvtColor(warped, i420, opencv_imgproc.COLOR_RGB2YUV_I420);
        i420Data.position(0).get(dst, offset, p * p * 3 / 2);
    }

    /** Darkens the pixels the cavity covers: v x (1 - 0.82 c), rounded; rows without cavity are not touched. */
    private void shade(float[] cavity, int base) {
        for (int y = 0; y < p; y++) {
            int r = base + y * p;
            int x0 = -1;
            int x1 = -1;
            for (int x = 0; x < p; x++) {
                if (cavity[r + x] > CAVITY_EPSILON) {
                    if (x0 < 0) {
                        x0 = x;
                    }
                    x1 = x;
                }
            }
            if (x0 < 0) {
                continue;
            }
            int n = (x1 - x0 + 1) * 3;
            warpedData.position((long) (y * p + x0) * 3).get(rowBuffer, 0, n);
            for (int x = x0; x <= x1; x++) {
                float keep = 1f - Synthesis.CAVITY_DARKENING * Math.min(1f, cavity[r + x]);
                int k = (x - x0) * 3;
                rowBuffer[k] = (byte) Math.round((rowBuffer[k] & 0xFF) * keep);
                rowBuffer[k + 1] = (byte) Math.round((rowBuffer[k + 1] & 0xFF) * keep);
                rowBuffer[k + 2] = (byte) Math.round((rowBuffer[k + 2] & 0xFF) * keep);
            }
            warpedData.position((long) (y * p + x0) * 3).put(rowBuffer, 0, n);
        }
        warpedData.position(0);
    }

    @Override
    public void close() {
        src.release();
        warped.release();
        grid.release();
        warpUp.release();
        identityMap.release();
        map.release();
        i420.release();
        upsample.release();
        src.close();
        warped.close();
        grid.close();
        warpUp.close();
        identityMap.close();
        map.close();
        i420.close();
        upsample.close();
        noMap.close();
        size.close();
        border.close();
    }
}
