package dev.avatarfleet.worker.render.avatar;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * OpenCV's Haar frontal-face cascade ({@code haarcascade_frontalface_default.xml}, shipped inside
 * Bytedeco's OpenCV native jar), run on a grey copy no larger than 640 px on its long side.
 * One classifier per instance; {@link #detect} is synchronized because OpenCV's is not thread-safe.
 */
public final class HaarFaceDetector implements FaceDetector {

    private static final String CASCADE = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
    private static final int MAX_SIDE = 640;

    private final CascadeClassifier classifier;

    public HaarFaceDetector() {
        File xml;
        try {
            xml = Loader.cacheResource(HaarFaceDetector.class, CASCADE);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenCV face cascade could not be unpacked", e);
        }
        classifier = new CascadeClassifier(xml.getAbsolutePath());
        if (classifier.empty()) {
            throw new IllegalStateException("the OpenCV face cascade " + xml + " did not load");
        }
    }

    @Override
    public synchronized Optional<FaceBox> detect(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = Math.min(1.0, MAX_SIDE / (double) Math.max(w, h));
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        byte[] grey = grey(image, sw, sh);
        try (BytePointer data = new BytePointer(grey);
             Mat mat = new Mat(sh, sw, opencv_core.CV_8UC1, data);
             Mat equalised = new Mat();
             RectVector faces = new RectVector();
             Size min = new Size(Math.max(24, Math.min(sw, sh) / 8), Math.max(24, Math.min(sw, sh) / 8));
             Size max = new Size()) {
            opencv_imgproc.equalizeHist(mat, equalised);
            classifier.detectMultiScale(equalised, faces, 1.1, 5, 0, min, max);
            Rect best = null;
            for (long i = 0; i < faces.size(); i++) {
                Rect r = faces.get(i);
                if (best == null || (long) r.width() * r.height() > (long) best.width() * best.height()) {
                    best = r;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            return Optional.of(new FaceBox((int) Math.round(best.x() / scale), (int) Math.round(best.y() / scale),
                    (int) Math.round(best.width() / scale), (int) Math.round(best.height() / scale)));
        }
    }

    private static byte[] grey(BufferedImage img, int sw, int sh) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        byte[] out = new byte[sw * sh];
        for (int y = 0; y < sh; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / sh));
            img.getRGB(0, sy, w, 1, row, 0, w);
            for (int x = 0; x < sw; x++) {
                int p = row[Math.min(w - 1, (int) ((x + 0.5) * w / sw))];
                int lum = (77 * ((p >> 16) & 0xFF) + 150 * ((p >> 8) & 0xFF) + 29 * (p & 0xFF)) >> 8;
                out[y * sw + x] = (byte) lum;
            }
        }
        return out;
    }
}
