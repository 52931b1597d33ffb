package dev.avatarfleet.worker.face;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;

/**
 * Real photos of people for the landmark tests: the six group photos {@code demo/sample1..6.jpg} of the npm
 * package {@code @vladmandic/face-api} 1.7.15 (MIT), which the worker build copies into the test classpath
 * ({@code face-photos/}), and single-person crops of them; each also mirrored and turned by +-15 degrees.
 */
public final class PhotoSet {

    public enum Kind { GROUP, FRONTAL, TILTED, THREE_QUARTER }

    /**
     * One photo.
     *
     * @param name     for messages
     * @param file     the package's file
     * @param kind     what it shows
     * @param face     the centre (landmark centroid) of the person the main face must be, in pixels of the file,
     *                 picked by eye: the largest, then most central face
     * @param cropSide for a single-person photo, the side of the square cut around {@code face} (0: the whole file)
     */
    public record Photo(String name, String file, Kind kind, Point face, int cropSide) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A photo as the landmarker sees it, and where a point of the base photo lands in it.
     *
     * @param name  photo and variant
     * @param image the pixels
     * @param map   pixel of the photo's file to variant pixel
     * @param fromBase pixel of the unturned, unmirrored photo (the first variant) to variant pixel
     * @param turn  degrees the variant is turned clockwise on screen against the base photo
     * @param mirrored whether it is the mirror image
     */
    public record Variant(String name, BufferedImage image, UnaryOperator<Point> map, UnaryOperator<Point> fromBase, double turn, boolean mirrored) {
    }

    public static final List<Photo> PHOTOS = List.of(
            // why: group photos where MainFaceRule's choice stays clear in every variant (in sample2 the main face is
            // half hidden by hair and its landmarks, so its score, change between variants; in sample4 and sample5 two
            // faces score within a few percent): those three appear below only as single-person crops
            new Photo("group sample1 (3 people, the main one tilted)", "sample1.jpg", Kind.GROUP, new Point(926, 567), 0),
            new Photo("group sample3 (3 people)", "sample3.jpg", Kind.GROUP, new Point(1155, 384), 0),
            new Photo("group sample6 (4 people)", "sample6.jpg", Kind.GROUP, new Point(752, 505), 0),
            new Photo("frontal sample3 left", "sample3.jpg", Kind.FRONTAL, new Point(673, 486), 560),
            new Photo("frontal sample6 third", "sample6.jpg", Kind.FRONTAL, new Point(1273, 480), 560),
            new Photo("frontal sample5 upper right", "sample5.jpg", Kind.FRONTAL, new Point(1184, 339), 480),
            new Photo("tilted sample1 middle (-27 deg)", "sample1.jpg", Kind.TILTED, new Point(926, 567), 520),
            new Photo("tilted sample4 second (+28 deg)", "sample4.jpg", Kind.TILTED, new Point(723, 206), 480),
            new Photo("tilted sample2 right (-15 deg, looking down)", "sample2.jpg", Kind.TILTED, new Point(1538, 305), 520),
            new Photo("three-quarter sample5 right", "sample5.jpg", Kind.THREE_QUARTER, new Point(1486, 554), 520),
            new Photo("three-quarter sample1 left", "sample1.jpg", Kind.THREE_QUARTER, new Point(479, 503), 480));

    private PhotoSet() {
    }

    public static BufferedImage read(String file) {
        try (InputStream in = PhotoSet.class.getResourceAsStream("/face-photos/" + file)) {
            if (in == null) {
                throw new IllegalStateException("face-photos/" + file + " is not on the test classpath: the worker build copies it from "
                        + "ops/face-models (npm @vladmandic/face-api); build with mvn, not an IDE alone");
            }
            return rgb(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The photo itself (cut out for a single person), its mirror image, and it turned by -15 and +15 degrees. */
    public static List<Variant> variants(Photo p) {
        BufferedImage file = read(p.file());
        BufferedImage base;
        Point shift;
        if (p.cropSide() == 0) {
            base = file;
            shift = new Point(0, 0);
        } else {
            int s = Math.min(p.cropSide(), Math.min(file.getWidth(), file.getHeight()));
            int x = (int) Math.max(0, Math.min(file.getWidth() - s, Math.round(p.face().x() - s / 2.0)));
            int y = (int) Math.max(0, Math.min(file.getHeight() - s, Math.round(p.face().y() - 0.45 * s)));
            base = rgb(file.getSubimage(x, y, s, s));
            shift = new Point(x, y);
        }
        List<Variant> out = new ArrayList<>();
        UnaryOperator<Point> toBase = q -> new Point(q.x() - shift.x(), q.y() - shift.y());
        out.add(new Variant(p.name(), base, toBase, UnaryOperator.identity(), 0, false));
        int w = base.getWidth();
        UnaryOperator<Point> flip = b -> new Point(w - b.x(), b.y());
        out.add(new Variant(p.name() + ", mirrored", mirror(base), q -> flip.apply(toBase.apply(q)), flip, 0, true));
        for (double deg : new double[] {-15, 15}) {
            AffineTransform t = turn(base, deg);
            BufferedImage turned = draw(base, t);
            UnaryOperator<Point> move = b -> {
                java.awt.geom.Point2D d = t.transform(new java.awt.geom.Point2D.Double(b.x(), b.y()), null);
                return new Point(d.getX(), d.getY());
            };
            out.add(new Variant(p.name() + ", turned " + (deg > 0 ? "+" : "") + (int) deg + " deg", turned,
                    q -> move.apply(toBase.apply(q)), move, deg, false));
        }
        return out;
    }

    /** Turns about the centre, clockwise on screen for positive degrees, onto a canvas that holds the whole photo. */
    private static AffineTransform turn(BufferedImage img, double deg) {
        double a = Math.toRadians(deg);
        double w = img.getWidth();
        double h = img.getHeight();
        double nw = Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a));
        double nh = Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a));
        AffineTransform t = new AffineTransform();
        t.translate(nw / 2, nh / 2);
        t.rotate(a);
        t.translate(-w / 2, -h / 2);
        return t;
    }

    private static BufferedImage draw(BufferedImage src, AffineTransform t) {
        double a = Math.atan2(t.getShearY(), t.getScaleX());
        int nw = (int) Math.ceil(Math.abs(src.getWidth() * Math.cos(a)) + Math.abs(src.getHeight() * Math.sin(a)));
        int nh = (int) Math.ceil(Math.abs(src.getWidth() * Math.sin(a)) + Math.abs(src.getHeight() * Math.cos(a)));
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, nw, nh);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage mirror(BufferedImage src) {
        AffineTransform t = new AffineTransform(-1, 0, 0, 1, src.getWidth(), 0);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage rgb(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
