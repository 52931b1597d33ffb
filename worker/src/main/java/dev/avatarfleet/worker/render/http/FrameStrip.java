package dev.avatarfleet.worker.render.http;

import java.awt.image.BufferedImage;
import java.util.List;

/** Lays RGB frames out as a grid image (the docs strip and visual checks). */
public final class FrameStrip {

    private FrameStrip() {
    }

    /** One RGB frame (w x h x 3) as an image. */
    public static BufferedImage toImage(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((rgb[3 * i] & 0xFF) << 16) | ((rgb[3 * i + 1] & 0xFF) << 8) | (rgb[3 * i + 2] & 0xFF);
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** The frames, each scaled to {@code cell} wide, {@code columns} per row. */
    public static BufferedImage grid(List<byte[]> frames, int w, int h, int columns, int cell) {
        int rows = (frames.size() + columns - 1) / columns;
        int ch = cell * h / w;
        BufferedImage out = new BufferedImage(columns * cell, rows * ch, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < frames.size(); i++) {
            g.drawImage(toImage(frames.get(i), w, h), (i % columns) * cell, (i / columns) * ch, cell, ch, null);
        }
        g.dispose();
        return out;
    }
}
