package dev.avatarfleet.api.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Paints the default avatar (a synthetic, frontal face on a soft background, 512×512) with Java2D.
 * The committed {@code default-avatar.png} resource was made by running this class's
 * {@link #main}; it is kept as a tool so the image can be regenerated, not downloaded.
 *
 * <pre>java -Djava.awt.headless=true -cp api/target/classes dev.avatarfleet.api.image.DefaultAvatarPainter out.png</pre>
 */
public final class DefaultAvatarPainter {
    /** Side of the square default avatar in pixels. */
    public static final int SIZE = 512;

    private DefaultAvatarPainter() {
    }

    /** Paints the face. */
    public static BufferedImage paint() {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setPaint(new GradientPaint(0, 0, new Color(0x6E8FB5), 0, SIZE, new Color(0x2F4660)));
        g.fillRect(0, 0, SIZE, SIZE);

        Color skin = new Color(0xE8B896);
        Color shade = new Color(0xC98F6B);
        // shoulders and neck
        g.setColor(new Color(0x3A5A40));
        g.fill(new Ellipse2D.Double(86, 420, 340, 200));
        g.setColor(shade);
        g.fillRect(218, 340, 76, 100);
        // hair behind the head
        g.setColor(new Color(0x3B2A20));
        g.fill(new Ellipse2D.Double(140, 70, 232, 280));
        // head
        g.setPaint(new GradientPaint(176, 100, skin, 336, 380, shade));
        g.fill(new Ellipse2D.Double(160, 104, 192, 250));
        // ears
        g.setColor(shade);
        g.fill(new Ellipse2D.Double(148, 210, 26, 50));
        g.fill(new Ellipse2D.Double(338, 210, 26, 50));
        // fringe
        g.setColor(new Color(0x3B2A20));
        Path2D fringe = new Path2D.Double();
        fringe.moveTo(158, 200);
        fringe.curveTo(160, 90, 352, 90, 354, 200);
        fringe.curveTo(320, 140, 230, 130, 158, 200);
        g.fill(fringe);
        // eyes
        for (int x : new int[] {212, 300}) {
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(x - 20, 214, 40, 22));
            g.setColor(new Color(0x4A3222));
            g.fill(new Ellipse2D.Double(x - 9, 215, 18, 20));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Double(x - 4, 220, 8, 9));
            g.setColor(new Color(0x3B2A20));
            g.setStroke(new BasicStroke(5, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Arc2D.Double(x - 24, 190, 48, 22, 20, 140, Arc2D.OPEN));
        }
        // nose
        g.setColor(shade.darker());
        g.setStroke(new BasicStroke(3, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D nose = new Path2D.Double();
        nose.moveTo(256, 236);
        nose.curveTo(250, 262, 244, 276, 250, 284);
        nose.lineTo(266, 284);
        g.draw(nose);
        // mouth
        g.setColor(new Color(0xA4474A));
        g.fill(new Arc2D.Double(222, 296, 68, 30, 180, 180, Arc2D.CHORD));
        g.setColor(new Color(0x7A2E30));
        g.setStroke(new BasicStroke(3));
        g.drawLine(222, 311, 290, 311);
        g.dispose();
        return img;
    }

    /** Writes the PNG to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DefaultAvatarPainter OUT.png");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(paint(), "png", out.toFile());
    }
}
