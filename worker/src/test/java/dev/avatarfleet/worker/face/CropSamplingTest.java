package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The network inputs cut from an image ({@link ImagePyramid}, {@link CropTransform}) land where the transform says. */
class CropSamplingTest {

    private static BufferedImage dots(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillRect(1195, 795, 10, 10);   // centre (1200, 800)
        g.setColor(Color.GREEN);
        g.fillRect(1335, 795, 10, 10);   // centre (1340, 800): 140 px right of the red dot
        g.dispose();
        return img;
    }

    /** The centre of mass of the pixels of one colour in an n x n RGB crop. */
    private static Point find(byte[] rgb, int n, int channel) {
        double sx = 0;
        double sy = 0;
        double sum = 0;
        for (int i = 0; i < n * n; i++) {
            int v = rgb[3 * i + channel] & 0xFF;
            int other = rgb[3 * i + (channel + 1) % 3] & 0xFF;
            double weight = Math.max(0, v - other - 40);
            sx += weight * (i % n + 0.5);
            sy += weight * (i / n + 0.5);
            sum += weight;
        }
        assertTrue(sum > 0, "colour " + channel + " not found in the crop");
        return new Point(sx / sum, sy / sum);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 15, -30, 90})
    void aTurnedFaceCropMapsBackOntoTheImage(double roll) {
        // why: 3000 px wide, so the crop is read from a smaller pyramid level, as for real photos
        ImagePyramid p = ImagePyramid.of(dots(3000, 2000));
        double k = 1 / p.sourceScale();
        int n = 112;
        CropTransform t = CropTransform.faceSquare(new Rect((1200 - 200) * k, (800 - 200) * k, 400 * k, 400 * k), roll, n);
        byte[] crop = new byte[n * n * 3];
        p.sample(t, crop, 0);
        Point red = find(crop, n, 0);
        Point green = find(crop, n, 1);
        assertEquals(n / 2.0, red.x(), 0.5, "the box centre is the crop centre");
        assertEquals(n / 2.0, red.y(), 0.5);
        Point g = t.toImage(green.x(), green.y());
        assertEquals(1340, g.x() / k, 4, "the green dot maps back to where it is in the image");
        assertEquals(800, g.y() / k, 4);
        // turned by the roll: the dot to the right of the red one lies along the crop's turned x axis
        double angle = Math.toDegrees(Math.atan2(green.y() - red.y(), green.x() - red.x()));
        assertEquals(-roll, angle, 1.5);
    }

    @Test
    void aFaceBoxIsPaddedToASquareWithBlack() {
        ImagePyramid p = ImagePyramid.of(dots(2000, 1600));
        CropTransform t = CropTransform.faceSquare(new Rect(1100, 700, 200, 100), 0, 100);
        byte[] crop = new byte[100 * 100 * 3];
        p.sample(t, crop, 0);
        assertEquals(0, crop[(10 * 100 + 50) * 3] & 0xFF, "above the box: black");
        assertEquals(0, crop[(90 * 100 + 50) * 3] & 0xFF, "below the box: black");
        assertEquals(Color.GRAY.getRed(), crop[(30 * 100 + 10) * 3] & 0xFF, 2, "inside the box: the image");
    }

    @Test
    void theLetterboxFillsTheLongSideAndPadsTheShortOne() {
        ImagePyramid p = ImagePyramid.of(dots(2000, 1000));
        assertEquals(2000, p.width());
        int n = 256;
        CropTransform t = CropTransform.letterbox(p.width(), p.height(), n);
        byte[] in = new byte[n * n * 3];
        p.sample(t, in, 0);
        assertEquals(Color.GRAY.getRed(), in[(40 * n + 20) * 3] & 0xFF, 2, "top half: the image");
        assertEquals(0, in[(200 * n + 20) * 3] & 0xFF, "bottom half: black");
        Point found = find(in, n, 0);
        Point red = t.toImage(found.x(), found.y());
        assertEquals(1200, red.x(), 4);
        assertEquals(800, red.y(), 4);
    }

    @Test
    void aLargeImageIsScaledDownToTheWorkingSize() {
        ImagePyramid p = ImagePyramid.of(new BufferedImage(6000, 3000, BufferedImage.TYPE_INT_RGB));
        assertEquals(ImagePyramid.MAX_SIDE, p.width());
        assertEquals(1024, p.height());
        assertEquals(6000.0 / ImagePyramid.MAX_SIDE, p.sourceScale(), 1e-9);
    }
}
