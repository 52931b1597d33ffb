package dev.avatarfleet.worker.face;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds every face in an image and its 68 landmarks, with face-api's pretrained SSD MobileNet v1 detector and
 * 68-point landmark net (weights from the npm package {@code @vladmandic/face-api}, in the worker jar), and
 * picks the main face. Meant to run once per avatar image, when it is prepared; never per frame.
 *
 * <ol>
 *   <li>The image is scaled into a pyramid (long side at most {@value ImagePyramid#MAX_SIDE}) and letterboxed
 *       into the detector's 512 x 512 input.</li>
 *   <li>Each box (at most {@value FaceNets#MAX_FACES}, score at least {@value FaceNets#MIN_SCORE}) is cut out as
 *       a square, padded black, and the landmark net places 68 points in it.</li>
 *   <li>A face whose eye line is rolled by more than {@value #REROTATE_DEGREES} degrees is cut out again, turned
 *       upright by that roll, and placed a second time: the net was trained on upright faces, and this keeps
 *       faces tilted up to about 30 degrees as exact as upright ones. Points are turned back into the image.</li>
 * </ol>
 *
 * Thread-safe. Close it to free the TensorFlow graph.
 */
public final class FaceLandmarker implements AutoCloseable {

    /** Roll (degrees) beyond which a face's landmarks are placed again on an upright crop. */
    public static final double REROTATE_DEGREES = 4;
    /** Boxes smaller than this (working-image pixels) are dropped: too few pixels for landmarks. */
    private static final double MIN_BOX = 8;
    /** Stages timed by {@link #analyse(BufferedImage, long[])}: indexes into its array. */
    static final int SCALE = 0;
    static final int DETECT = 1;
    static final int LANDMARKS = 2;

    private final FaceNets nets;

    private FaceLandmarker(FaceNets nets) {
        this.nets = nets;
    }

    /**
     * The models inside the worker jar, TensorFlow choosing its threads.
     *
     * @throws FaceModelException when the weights are missing or damaged
     */
    public static FaceLandmarker load() {
        return load(WeightFiles.classpath(), 0);
    }

    /**
     * The models in {@code files} ({@code ssd_mobilenetv1_model} and {@code face_landmark_68_model}, each a
     * tfjs weights manifest and its shards).
     *
     * @param threads TensorFlow intra-op threads (0: TensorFlow's choice)
     * @throws FaceModelException when the weights are missing, truncated or not these networks'
     */
    public static FaceLandmarker load(WeightFiles files, int threads) {
        return new FaceLandmarker(FaceNets.load(files, threads));
    }

    /** Bytes of weights read, both models together. */
    public long weightBytes() {
        return nets.weightBytes();
    }

    /**
     * Every face in {@code image} (decoded and turned upright by its EXIF orientation) with its landmarks, in
     * pixels of {@code image}, and the main face.
     */
    public FaceAnalysis analyse(BufferedImage image) {
        return analyse(image, null);
    }

    /** {@link #analyse(BufferedImage)}, adding each stage's nanoseconds into {@code nanos} (when not null) for the bench. */
    FaceAnalysis analyse(BufferedImage image, long[] nanos) {
        Objects.requireNonNull(image, "image");
        long t0 = System.nanoTime();
        ImagePyramid pyramid = ImagePyramid.of(image);
        int n = SsdMobilenetV1Graph.INPUT;
        CropTransform letterbox = CropTransform.letterbox(pyramid.width(), pyramid.height(), n);
        byte[] input = new byte[n * n * 3];
        pyramid.sample(letterbox, input, 0);
        long t1 = System.nanoTime();
        List<FaceNets.Box> found = nets.detect(input);
        long t2 = System.nanoTime();
        List<Rect> boxes = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (FaceNets.Box b : found) {
            Rect r = clip(letterbox, b, pyramid.width(), pyramid.height());
            if (r.width() >= MIN_BOX && r.height() >= MIN_BOX) {
                boxes.add(r);
                scores.add(b.score());
            }
        }
        List<FaceLandmarks> marks = placeUpright(pyramid, boxes);
        if (nanos != null) {
            nanos[SCALE] += t1 - t0;
            nanos[DETECT] += t2 - t1;
            nanos[LANDMARKS] += System.nanoTime() - t2;
        }
        double k = pyramid.sourceScale();
        List<DetectedFace> faces = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Rect b = boxes.get(i);
            faces.add(new DetectedFace(new Rect(b.x() * k, b.y() * k, b.width() * k, b.height() * k), scores.get(i),
                    marks.get(i).map(p -> new Point(p.x() * k, p.y() * k))));
        }
        return FaceAnalysis.of(image.getWidth(), image.getHeight(), faces);
    }

    /** Landmarks for every box; a second pass on an upright crop for the faces the first pass found rolled. */
    private List<FaceLandmarks> placeUpright(ImagePyramid pyramid, List<Rect> boxes) {
        List<FaceLandmarks> marks = place(pyramid, boxes, new double[boxes.size()]);
        double[] rolls = new double[boxes.size()];
        boolean again = false;
        for (int i = 0; i < rolls.length; i++) {
            double roll = marks.get(i).rollDegrees();
            if (Math.abs(roll) > REROTATE_DEGREES) {
                rolls[i] = roll;
                again = true;
            }
        }
        if (again) {
            List<FaceLandmarks> upright = place(pyramid, boxes, rolls);
            for (int i = 0; i < rolls.length; i++) {
                if (rolls[i] != 0) {
                    marks.set(i, upright.get(i));
                }
            }
        }
        return marks;
    }

    /** Runs the landmark net once over every box, each cut out turned by its roll; points in working pixels. */
    private List<FaceLandmarks> place(ImagePyramid pyramid, List<Rect> boxes, double[] rolls) {
        List<FaceLandmarks> out = new ArrayList<>();
        if (boxes.isEmpty()) {
            return out;
        }
        int m = FaceLandmark68Graph.INPUT;
        byte[] crops = new byte[boxes.size() * m * m * 3];
        List<CropTransform> transforms = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            CropTransform t = CropTransform.faceSquare(boxes.get(i), rolls[i], m);
            pyramid.sample(t, crops, i * m * m * 3);
            transforms.add(t);
        }
        float[][] raw = nets.landmarks(crops, boxes.size());
        for (int i = 0; i < raw.length; i++) {
            List<Point> pts = new ArrayList<>(FaceLandmarks.COUNT);
            for (int j = 0; j < FaceLandmarks.COUNT; j++) {
                pts.add(transforms.get(i).toImage(raw[i][2 * j] * m, raw[i][2 * j + 1] * m));
            }
            out.add(new FaceLandmarks(pts));
        }
        return out;
    }

    /** A detector box in working-image pixels, clipped to the image. */
    private static Rect clip(CropTransform letterbox, FaceNets.Box b, int w, int h) {
        int n = letterbox.size();
        Point a = letterbox.toImage(b.xmin() * n, b.ymin() * n);
        Point z = letterbox.toImage(b.xmax() * n, b.ymax() * n);
        double x0 = Math.max(0, Math.min(a.x(), z.x()));
        double y0 = Math.max(0, Math.min(a.y(), z.y()));
        double x1 = Math.min(w, Math.max(a.x(), z.x()));
        double y1 = Math.min(h, Math.max(a.y(), z.y()));
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    @Override
    public void close() {
        nets.close();
    }
}
