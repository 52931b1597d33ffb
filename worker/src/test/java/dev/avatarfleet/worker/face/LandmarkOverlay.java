package dev.avatarfleet.worker.face;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws what {@link FaceLandmarker} found on each image given: every box (green; the main face yellow), the 68
 * points, the lip contours, the eye line, and the head-and-shoulders crop (cyan, aspect 1), scaled to 960 px wide.
 * Usage: {@code LandmarkOverlay OUT IMAGE...}; prints each face's box, score, roll and mouth width. OUT is a folder
 * (one PNG per image) or a .jpg file: one sheet, two overlays 640 px wide per row (docs/landmarks-overlay.jpg).
 */
public final class LandmarkOverlay {

    private LandmarkOverlay() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean sheet = out.toString().endsWith(".jpg");
        List<BufferedImage> drawn = new ArrayList<>();
        if (!sheet) {
            Files.createDirectories(out);
        }
        try (FaceLandmarker landmarker = FaceLandmarker.load()) {
            for (int i = 1; i < args.length; i++) {
                BufferedImage img = ImageIO.read(Path.of(args[i]).toFile());
                FaceAnalysis a = landmarker.analyse(img);
                String name = Path.of(args[i]).getFileName().toString().replaceFirst("\\.[^.]+$", "");
                if (sheet) {
                    drawn.add(draw(img, a, 640));
                } else {
                    ImageIO.write(draw(img, a, Integer.getInteger("overlay.width", 960)), "png", out.resolve(name + "-landmarks.png").toFile());
                }
                System.out.printf(Locale.ROOT, "%s %dx%d: %d faces%n", name, img.getWidth(), img.getHeight(), a.faces().size());
                for (DetectedFace f : a.faces()) {
                    FaceLandmarks l = f.landmarks();
                    System.out.printf(Locale.ROOT, "  %s box %.0f,%.0f %.0fx%.0f score %.2f roll %.1f mouth %.0f eyes %.2f/%.2f centre %.0f,%.0f size %.0f%n",
                            a.main().orElse(null) == f ? "MAIN" : "    ", f.box().x(), f.box().y(), f.box().width(), f.box().height(),
                            f.score(), l.rollDegrees(), l.mouthWidth(), l.leftEyeOpenness(), l.rightEyeOpenness(),
                            l.faceCentre().x(), l.faceCentre().y(), l.faceSize());
                }
            }
        }
        if (sheet) {
            ImageIO.write(sheet(drawn, 2), "jpg", out.toFile());
        }
    }

    private static BufferedImage sheet(List<BufferedImage> tiles, int perRow) {
        int w = tiles.get(0).getWidth();
        int rows = (tiles.size() + perRow - 1) / perRow;
        int[] rowHeight = new int[rows];
        for (int i = 0; i < tiles.size(); i++) {
            rowHeight[i / perRow] = Math.max(rowHeight[i / perRow], tiles.get(i).getHeight());
        }
        BufferedImage out = new BufferedImage(perRow * w + (perRow - 1) * 4, java.util.Arrays.stream(rowHeight).sum() + (rows - 1) * 4,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int y = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < perRow && r * perRow + c < tiles.size(); c++) {
                g.drawImage(tiles.get(r * perRow + c), c * (w + 4), y, null);
            }
            y += rowHeight[r] + 4;
        }
        g.dispose();
        return out;
    }

    /** The overlay, {@code width} pixels wide. */
    static BufferedImage draw(BufferedImage img, FaceAnalysis a, int width) {
        double s = width / (double) img.getWidth();
        int h = (int) Math.round(img.getHeight() * s);
        BufferedImage o = new BufferedImage(width, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = o.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.drawImage(img, 0, 0, width, h, null);
        g.setStroke(new BasicStroke(1.5f));
        for (DetectedFace f : a.faces()) {
            boolean main = a.main().orElse(null) == f;
            g.setColor(main ? Color.YELLOW : Color.GREEN);
            Rect b = f.box();
            g.draw(new Rectangle2D.Double(b.x() * s, b.y() * s, b.width() * s, b.height() * s));
            FaceLandmarks l = f.landmarks();
            g.setColor(Color.RED);
            for (Point p : l.points()) {
                g.fill(new Ellipse2D.Double(p.x() * s - 1.5, p.y() * s - 1.5, 3, 3));
            }
            g.setColor(Color.MAGENTA);
            polygon(g, l.outerLip().toArray(Point[]::new), s);
            polygon(g, l.innerLip().toArray(Point[]::new), s);
            g.setColor(Color.CYAN);
            g.draw(new Line2D.Double(l.leftEyeCentre().x() * s, l.leftEyeCentre().y() * s, l.rightEyeCentre().x() * s, l.rightEyeCentre().y() * s));
        }
        a.mainCrop(1.0).ifPresent(c -> {
            g.setColor(Color.CYAN);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.draw(new Rectangle2D.Double(c.x() * s, c.y() * s, c.width() * s, c.height() * s));
        });
        g.dispose();
        return o;
    }

    private static void polygon(Graphics2D g, Point[] ps, double s) {
        for (int i = 0; i < ps.length; i++) {
            Point a = ps[i];
            Point b = ps[(i + 1) % ps.length];
            g.draw(new Line2D.Double(a.x() * s, a.y() * s, b.x() * s, b.y() * s));
        }
    }
}
