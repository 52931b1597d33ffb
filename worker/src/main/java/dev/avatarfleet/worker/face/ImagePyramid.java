package dev.avatarfleet.worker.face;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * An image as packed RGB levels, each half the size of the one before (2 x 2 box filter), for sampling network
 * inputs at any scale without aliasing: a crop is read from the level whose pixels are closest to, but not
 * larger than, half an input pixel, with 2 x 2 bilinear samples per input pixel.
 */
final class ImagePyramid {

    /** The long side of level 0: larger images are first scaled down to it (faces stay above ~40 px). */
    static final int MAX_SIDE = 2048;
    /** The smallest level kept. */
    private static final int MIN_SIDE = 32;

    private record Level(int width, int height, int[] rgb) {
    }

    private final List<Level> levels;
    /** Source pixels per level-0 pixel. */
    private final double sourceScale;

    private ImagePyramid(List<Level> levels, double sourceScale) {
        this.levels = levels;
        this.sourceScale = sourceScale;
    }

    static ImagePyramid of(BufferedImage source) {
        int w = source.getWidth();
        int h = source.getHeight();
        BufferedImage base = source;
        // why: Java2D's bilinear halving is native and fast; down to at most twice MAX_SIDE, then one smooth step
        while (base.getWidth() >= 2 * MAX_SIDE || base.getHeight() >= 2 * MAX_SIDE) {
            base = draw(base, Math.max(1, base.getWidth() / 2), Math.max(1, base.getHeight() / 2));
        }
        double fit = Math.min(1, MAX_SIDE / (double) Math.max(base.getWidth(), base.getHeight()));
        if (fit < 1) {
            base = draw(base, Math.max(1, (int) Math.round(base.getWidth() * fit)), Math.max(1, (int) Math.round(base.getHeight() * fit)));
        }
        if (base.getType() != BufferedImage.TYPE_INT_RGB) {
            base = draw(base, base.getWidth(), base.getHeight());
        }
        // why: an INT_RGB raster hands its pixels over row by row; getRGB converts each one through the colour model
        int[] pixels = (int[]) base.getRaster().getDataElements(0, 0, base.getWidth(), base.getHeight(), null);
        List<Level> levels = new ArrayList<>();
        levels.add(new Level(base.getWidth(), base.getHeight(), pixels));
        while (Math.min(last(levels).width, last(levels).height) >= 2 * MIN_SIDE) {
            levels.add(halve(last(levels)));
        }
        return new ImagePyramid(List.copyOf(levels), w / (double) base.getWidth());
    }

    /** Level 0's width: the working image the crops' coordinates refer to. */
    int width() {
        return levels.get(0).width;
    }

    int height() {
        return levels.get(0).height;
    }

    /** Source-image pixels per working-image pixel. */
    double sourceScale() {
        return sourceScale;
    }

    /** Writes the crop's n x n RGB pixels into {@code out} at {@code offset}. */
    void sample(CropTransform t, byte[] out, int offset) {
        double s = t.scale();
        int li = 0;
        while (li + 1 < levels.size() && s / (1 << (li + 1)) >= 1) {
            li++;
        }
        Level lv = levels.get(li);
        double k = 1.0 / (1 << li);
        int sub = s / (1 << li) > 1.2 ? 2 : 1;
        int n = t.size();
        int[] acc = new int[3];
        int o = offset;
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                acc[0] = 0;
                acc[1] = 0;
                acc[2] = 0;
                for (int j = 0; j < sub; j++) {
                    double vv = v + (j + 0.5) / sub;
                    for (int i = 0; i < sub; i++) {
                        double uu = u + (i + 0.5) / sub;
                        if (uu < t.u0() || uu >= t.u1() || vv < t.v0() || vv >= t.v1()) {
                            continue;
                        }
                        // why: pixel centres sit at +0.5 in both the working image and its levels
                        double x = (t.ox() + uu * t.exx() + vv * t.eyx()) * k - 0.5;
                        double y = (t.oy() + uu * t.exy() + vv * t.eyy()) * k - 0.5;
                        bilinear(lv, x, y, acc);
                    }
                }
                int q = sub * sub;
                out[o++] = (byte) ((acc[0] + q / 2) / q);
                out[o++] = (byte) ((acc[1] + q / 2) / q);
                out[o++] = (byte) ((acc[2] + q / 2) / q);
            }
        }
    }

    /** Adds the bilinear sample at (x, y) to acc; outside the image contributes black. */
    private static void bilinear(Level lv, double x, double y, int[] acc) {
        if (x < -0.5 || y < -0.5 || x > lv.width - 0.5 || y > lv.height - 0.5) {
            return;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        int xa = Math.max(0, x0);
        int xb = Math.min(lv.width - 1, x0 + 1);
        int ya = Math.max(0, y0);
        int yb = Math.min(lv.height - 1, y0 + 1);
        int p00 = lv.rgb[ya * lv.width + xa];
        int p10 = lv.rgb[ya * lv.width + xb];
        int p01 = lv.rgb[yb * lv.width + xa];
        int p11 = lv.rgb[yb * lv.width + xb];
        for (int c = 0, sh = 16; c < 3; c++, sh -= 8) {
            double top = ((p00 >> sh) & 0xFF) * (1 - fx) + ((p10 >> sh) & 0xFF) * fx;
            double bottom = ((p01 >> sh) & 0xFF) * (1 - fx) + ((p11 >> sh) & 0xFF) * fx;
            acc[c] += (int) Math.round(top * (1 - fy) + bottom * fy);
        }
    }

    private static Level halve(Level a) {
        int w = a.width / 2;
        int h = a.height / 2;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int r0 = 2 * y * a.width;
            int r1 = r0 + a.width;
            for (int x = 0; x < w; x++) {
                int p = a.rgb[r0 + 2 * x];
                int q = a.rgb[r0 + 2 * x + 1];
                int r = a.rgb[r1 + 2 * x];
                int s = a.rgb[r1 + 2 * x + 1];
                int red = (((p >> 16) & 0xFF) + ((q >> 16) & 0xFF) + ((r >> 16) & 0xFF) + ((s >> 16) & 0xFF) + 2) >> 2;
                int green = (((p >> 8) & 0xFF) + ((q >> 8) & 0xFF) + ((r >> 8) & 0xFF) + ((s >> 8) & 0xFF) + 2) >> 2;
                int blue = ((p & 0xFF) + (q & 0xFF) + (r & 0xFF) + (s & 0xFF) + 2) >> 2;
                out[y * w + x] = (red << 16) | (green << 8) | blue;
            }
        }
        return new Level(w, h, out);
    }

    private static Level last(List<Level> levels) {
        return levels.get(levels.size() - 1);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
