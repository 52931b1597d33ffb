package dev.avatarfleet.worker.face;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The 68 facial landmarks of one face (the iBUG 300-W layout face-api's landmark net is trained on), in pixels
 * of the image, and the geometry derived from them. Left and right are as seen in the image: the left eye is
 * the one nearer x = 0 (the person's own right eye).
 *
 * <pre>
 *  0-16 jaw, from the image-left ear to the image-right ear, 8 = chin
 * 17-21, 22-26 brows          27-30 nose bridge (30 = tip)   31-35 nostrils
 * 36-41 left eye: 36 outer corner, 37-38 upper lid, 39 inner corner, 40-41 lower lid
 * 42-47 right eye: 42 inner corner, 43-44 upper lid, 45 outer corner, 46-47 lower lid
 * 48-59 outer lip contour: 48 left corner, 51 top, 54 right corner, 57 bottom
 * 60-67 inner lip contour: 60 left corner, 62 top, 64 right corner, 66 bottom
 * </pre>
 */
public final class FaceLandmarks {

    /** Points per face. */
    public static final int COUNT = 68;

    /** Crop width in face sizes ({@link #faceSize()}). */
    public static final double CROP_WIDTH_FACES = 2.6;
    /** Where the face centre sits in the crop, as a fraction of its height from the top. */
    public static final double CROP_FACE_AT = 0.45;

    /** For point i, the index of its partner after a horizontal flip of the image. */
    private static final int[] MIRROR = mirror();

    private final List<Point> points;

    public FaceLandmarks(List<Point> points) {
        if (points.size() != COUNT) {
            throw new IllegalArgumentException("a face has " + COUNT + " landmarks, got " + points.size());
        }
        this.points = List.copyOf(points);
    }

    /** All 68 points, in the layout above. */
    public List<Point> points() {
        return points;
    }

    public Point point(int i) {
        return points.get(i);
    }

    /** The index point {@code i} takes after a horizontal flip of the image (e.g. 36, the left eye's outer corner, becomes 45). */
    public static int mirrorIndex(int i) {
        return MIRROR[i];
    }

    /** Points 0-16, ear to ear along the jaw. */
    public List<Point> jaw() {
        return points.subList(0, 17);
    }

    /** Points 48-59: the outer lip contour, clockwise on screen from the left corner. */
    public List<Point> outerLip() {
        return points.subList(48, 60);
    }

    /** Points 60-67: the inner lip contour (where the lips meet, or the opening's edge). */
    public List<Point> innerLip() {
        return points.subList(60, 68);
    }

    /** Points 36-41. */
    public List<Point> leftEye() {
        return points.subList(36, 42);
    }

    /** Points 42-47. */
    public List<Point> rightEye() {
        return points.subList(42, 48);
    }

    public Point leftEyeCentre() {
        return centroid(leftEye());
    }

    public Point rightEyeCentre() {
        return centroid(rightEye());
    }

    /**
     * How open the left eye is: the eye aspect ratio, mean lid gap over corner-to-corner width. Open eyes read
     * about 0.2-0.35, closed ones under about 0.12.
     */
    public double leftEyeOpenness() {
        return openness(36, 37, 38, 39, 40, 41);
    }

    /** The same for the right eye (42-47). */
    public double rightEyeOpenness() {
        return openness(42, 43, 44, 45, 46, 47);
    }

    /**
     * The roll of the head: the angle of the line from the left eye's centre to the right eye's, in degrees
     * against the image's x axis, positive when the face is turned clockwise on screen (y points down).
     */
    public double rollDegrees() {
        Point l = leftEyeCentre();
        Point r = rightEyeCentre();
        return Math.toDegrees(Math.atan2(r.y() - l.y(), r.x() - l.x()));
    }

    /** Point 48. */
    public Point mouthLeft() {
        return points.get(48);
    }

    /** Point 54. */
    public Point mouthRight() {
        return points.get(54);
    }

    /** Corner to corner. */
    public double mouthWidth() {
        return mouthLeft().distance(mouthRight());
    }

    /** The centre of the inner lip contour: the middle of the lip line. */
    public Point mouthCentre() {
        return centroid(innerLip());
    }

    /** Point 30. */
    public Point noseTip() {
        return points.get(30);
    }

    /** Point 8. */
    public Point chin() {
        return points.get(8);
    }

    /** The centroid of the 68 points: the point the head turns about. */
    public Point faceCentre() {
        return centroid(points);
    }

    /**
     * The face's scale in pixels: the larger of the jaw's span (point 0 to 16) and 1.25 x the distance from
     * between the eyes to the chin, so that a face turned three-quarters away (narrow jaw span) keeps its size.
     */
    public double faceSize() {
        double jaw = points.get(0).distance(points.get(16));
        double height = leftEyeCentre().mid(rightEyeCentre()).distance(chin());
        return Math.max(jaw, 1.25 * height);
    }

    /**
     * Where {@code p} lies along the face's own vertical axis (perpendicular to the eye line, pointing from the
     * brows to the chin), in pixels from the eyes' midpoint: larger is lower on the face whatever the roll.
     */
    public double alongFaceAxis(Point p) {
        double a = Math.toRadians(rollDegrees());
        Point o = leftEyeCentre().mid(rightEyeCentre());
        return -(p.x() - o.x()) * Math.sin(a) + (p.y() - o.y()) * Math.cos(a);
    }

    /** Where {@code p} lies along the eye line (from the left eye to the right eye), from the eyes' midpoint. */
    public double acrossFaceAxis(Point p) {
        double a = Math.toRadians(rollDegrees());
        Point o = leftEyeCentre().mid(rightEyeCentre());
        return (p.x() - o.x()) * Math.cos(a) + (p.y() - o.y()) * Math.sin(a);
    }

    /** The smallest axis-aligned rectangle holding the 68 points. */
    public Rect bounds() {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Point p : points) {
            x0 = Math.min(x0, p.x());
            y0 = Math.min(y0, p.y());
            x1 = Math.max(x1, p.x());
            y1 = Math.max(y1, p.y());
        }
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * A head-and-shoulders crop of the given aspect (width / height) around this face, inside an image of the
     * given size: {@value #CROP_WIDTH_FACES} face sizes wide, the face centre at the middle across and
     * {@value #CROP_FACE_AT} of the height down (room for the shoulders below). A crop larger than the image
     * shrinks to fit, keeping its aspect; one that runs past an edge slides back inside.
     */
    public Rect headAndShoulders(double aspect, int imageWidth, int imageHeight) {
        if (!(aspect > 0) || imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("aspect and image size must be positive");
        }
        double w = CROP_WIDTH_FACES * faceSize();
        double h = w / aspect;
        double fit = Math.min(1, Math.min(imageWidth / w, imageHeight / h));
        w *= fit;
        h *= fit;
        Point c = faceCentre();
        double x = Math.max(0, Math.min(imageWidth - w, c.x() - w / 2));
        double y = Math.max(0, Math.min(imageHeight - h, c.y() - CROP_FACE_AT * h));
        return new Rect(x, y, w, h);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceLandmarks other && points.equals(other.points);
    }

    @Override
    public int hashCode() {
        return points.hashCode();
    }

    @Override
    public String toString() {
        return "FaceLandmarks[roll=" + Math.round(rollDegrees() * 10) / 10.0 + ", centre=" + faceCentre() + "]";
    }

    /** The same face with every point moved by {@code f}. */
    FaceLandmarks map(UnaryOperator<Point> f) {
        return new FaceLandmarks(points.stream().map(f).toList());
    }

    private double openness(int outer, int up1, int up2, int inner, int low2, int low1) {
        double width = points.get(outer).distance(points.get(inner));
        double gap = points.get(up1).distance(points.get(low1)) + points.get(up2).distance(points.get(low2));
        return width <= 0 ? 0 : gap / (2 * width);
    }

    static Point centroid(List<Point> ps) {
        double x = 0;
        double y = 0;
        for (Point p : ps) {
            x += p.x();
            y += p.y();
        }
        return new Point(x / ps.size(), y / ps.size());
    }

    private static int[] mirror() {
        int[] m = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            m[i] = i;
        }
        for (int i = 0; i <= 16; i++) {
            m[i] = 16 - i;
        }
        int[][] pairs = {
            {17, 26}, {18, 25}, {19, 24}, {20, 23}, {21, 22}, // brows
            {31, 35}, {32, 34}, // nostrils
            {36, 45}, {37, 44}, {38, 43}, {39, 42}, {40, 47}, {41, 46}, // eyes
            {48, 54}, {49, 53}, {50, 52}, {55, 59}, {56, 58}, // outer lip
            {60, 64}, {61, 63}, {65, 67}, // inner lip
        };
        for (int[] p : pairs) {
            m[p[0]] = p[1];
            m[p[1]] = p[0];
        }
        return m;
    }
}
