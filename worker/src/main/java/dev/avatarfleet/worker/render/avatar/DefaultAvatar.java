package dev.avatarfleet.worker.render.avatar;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The avatar used when a launch brings no image: a portrait drawn with Java2D (so the project ships
 * no third-party picture), with its face geometry known exactly.
 */
public final class DefaultAvatar {

    /** Where the drawn face's parts are. */
    public static final FaceGeometry GEOMETRY = new FaceGeometry(0.5f, 0.655f, 0.075f, 0.022f, 0.445f, 0.095f);

    private static final int SIZE = 512;
    private static volatile byte[] png;

    private DefaultAvatar() {
    }

    /** The portrait as PNG bytes (drawn once). */
    public static byte[] png() {
        byte[] p = png;
        if (p == null) {
            var out = new ByteArrayOutputStream();
            try {
                ImageIO.write(draw(SIZE), "png", out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            p = out.toByteArray();
            png = p;
        }
        return p.clone();
    }

    static BufferedImage draw(int s) {
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(70, 96, 140), 0, s, new Color(28, 40, 66)));
        g.fillRect(0, 0, s, s);
        // shoulders and neck
        g.setColor(new Color(52, 70, 92));
        g.fill(new Ellipse2D.Double(s * 0.12, s * 0.84, s * 0.76, s * 0.5));
        g.setColor(new Color(214, 164, 132));
        g.fillRect((int) (s * 0.42), (int) (s * 0.7), (int) (s * 0.16), (int) (s * 0.2));
        // hair behind, face, ears
        g.setColor(new Color(58, 38, 26));
        g.fill(new Ellipse2D.Double(s * 0.27, s * 0.17, s * 0.46, s * 0.5));
        g.setColor(new Color(226, 178, 146));
        g.fill(new Ellipse2D.Double(s * 0.285, s * 0.26, s * 0.07, s * 0.12));
        g.fill(new Ellipse2D.Double(s * 0.645, s * 0.26, s * 0.07, s * 0.12));
        g.setPaint(new GradientPaint(0, (float) (s * 0.3), new Color(236, 192, 160), 0, (float) (s * 0.76), new Color(214, 162, 128)));
        g.fill(new Ellipse2D.Double(s * 0.315, s * 0.25, s * 0.37, s * 0.5));
        // fringe
        g.setColor(new Color(58, 38, 26));
        Path2D fringe = new Path2D.Double();
        fringe.moveTo(s * 0.31, s * 0.38);
        fringe.curveTo(s * 0.33, s * 0.2, s * 0.67, s * 0.2, s * 0.69, s * 0.38);
        fringe.curveTo(s * 0.6, s * 0.28, s * 0.45, s * 0.3, s * 0.31, s * 0.38);
        g.fill(fringe);
        FaceGeometry f = GEOMETRY;
        // eyes
        for (int side = -1; side <= 1; side += 2) {
            double ex = s * (f.mouthX() + side * f.eyeDx());
            double ey = s * f.eyeY();
            g.setColor(new Color(250, 248, 244));
            g.fill(new Ellipse2D.Double(ex - s * 0.038, ey - s * 0.017, s * 0.076, s * 0.034));
            g.setColor(new Color(76, 110, 70));
            g.fill(new Ellipse2D.Double(ex - s * 0.016, ey - s * 0.016, s * 0.032, s * 0.032));
            g.setColor(new Color(16, 16, 16));
            g.fill(new Ellipse2D.Double(ex - s * 0.007, ey - s * 0.007, s * 0.014, s * 0.014));
            g.setColor(new Color(60, 40, 30));
            g.setStroke(new BasicStroke((float) (s * 0.006)));
            g.draw(new Ellipse2D.Double(ex - s * 0.038, ey - s * 0.017, s * 0.076, s * 0.034));
            g.setStroke(new BasicStroke((float) (s * 0.011), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D brow = new Path2D.Double();
            brow.moveTo(ex - s * 0.045, ey - s * 0.038);
            brow.quadTo(ex, ey - s * 0.062, ex + s * 0.045, ey - s * 0.04);
            g.setColor(new Color(58, 38, 26));
            g.draw(brow);
        }
        // nose
        g.setColor(new Color(190, 138, 108));
        g.setStroke(new BasicStroke((float) (s * 0.006), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D nose = new Path2D.Double();
        nose.moveTo(s * 0.49, s * 0.47);
        nose.quadTo(s * 0.475, s * 0.56, s * 0.465, s * 0.575);
        nose.quadTo(s * 0.5, s * 0.59, s * 0.535, s * 0.575);
        g.draw(nose);
        // lips
        double mx = s * f.mouthX();
        double my = s * f.mouthY();
        double rx = s * f.mouthRx();
        double ry = s * f.mouthRy();
        Path2D upper = new Path2D.Double();
        upper.moveTo(mx - rx, my);
        upper.curveTo(mx - rx * 0.5, my - ry * 1.4, mx - rx * 0.15, my - ry * 1.2, mx, my - ry * 0.8);
        upper.curveTo(mx + rx * 0.15, my - ry * 1.2, mx + rx * 0.5, my - ry * 1.4, mx + rx, my);
        upper.closePath();
        Path2D lower = new Path2D.Double();
        lower.moveTo(mx - rx, my);
        lower.curveTo(mx - rx * 0.5, my + ry * 1.9, mx + rx * 0.5, my + ry * 1.9, mx + rx, my);
        lower.closePath();
        g.setColor(new Color(176, 84, 84));
        g.fill(upper);
        g.setColor(new Color(192, 96, 94));
        g.fill(lower);
        g.setColor(new Color(120, 50, 50));
        g.setStroke(new BasicStroke((float) (s * 0.004)));
        g.drawLine((int) (mx - rx), (int) my, (int) (mx + rx), (int) my);
        g.dispose();
        return img;
    }
}
