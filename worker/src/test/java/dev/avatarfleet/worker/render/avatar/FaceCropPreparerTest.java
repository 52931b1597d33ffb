package dev.avatarfleet.worker.render.avatar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.image.InvalidImageException;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.SharedLandmarker;
import dev.avatarfleet.worker.face.WeightFiles;
import dev.avatarfleet.worker.render.model.FaceVector;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FaceCropPreparerTest {

    private static final HaarFaceDetector DETECTOR = new HaarFaceDetector();
    private final FaceCropPreparer preparer = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), SharedLandmarker.get(), DETECTOR,
            128, 128, PatchRegion.defaultSize(128, 128), 2);

    private static byte[] png(BufferedImage img) throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static BufferedImage plain(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void anImageWithoutAFaceIsCentredWithAWarning() throws Exception {
        byte[] bytes = png(plain(300, 200, Color.ORANGE));
        PreparedImage p = preparer.prepare(bytes);
        assertEquals(List.of(FaceCropPreparer.NO_FACE_WARNING), p.warnings());
        assertEquals(FaceGeometry.CENTRED, p.face());
        assertEquals(128 * 128 * 3, p.rgb().length);
        assertEquals((byte) 255, p.rgb()[0], "orange stays orange after crop and scale");
        // the cache key is the image store's key for the same bytes
        assertEquals(dev.avatarfleet.common.store.ImageStore.sha256(bytes), p.imageHash());
    }

    @Test
    void anOffCentreFaceIsFoundByItsLandmarksAndTheCropAndPatchArePlacedAroundIt() throws Exception {
        // the drawn portrait pasted into the right half of a larger grey picture
        PreparedImage p = preparer.prepare(png(offCentrePortrait()));
        assertTrue(p.warnings().isEmpty(), "the landmarker found the face: " + p.warnings());
        float[] v = p.faceVector();
        assertEquals(1f, v[FaceVector.SOURCE], "from landmarks");
        FaceGeometry f = p.face();
        assertEquals(0.5, f.mouthX(), 0.06, "the crop is centred on the face");
        assertTrue(f.eyeY() < f.mouthY() && f.mouthY() < 0.9, f.toString());
        assertLipsAt(p, v);
        // the patch holds both eyes, the mouth and the chin
        for (int[] xy : new int[][] {{FaceVector.LEFT_EYE_X, FaceVector.LEFT_EYE_Y}, {FaceVector.RIGHT_EYE_X, FaceVector.RIGHT_EYE_Y},
                {FaceVector.MOUTH_X, FaceVector.MOUTH_Y}, {FaceVector.CHIN_X, FaceVector.CHIN_Y}}) {
            assertTrue(v[xy[0]] > 0.05 && v[xy[0]] < 0.95 && v[xy[1]] > 0.05 && v[xy[1]] < 0.95, "inside the patch: " + v[xy[0]] + "," + v[xy[1]]);
        }
        assertEquals(1f, v[FaceVector.ROLL_COS], 0.01, "the drawn face is upright");
    }

    @Test
    void withoutLandmarksTheHaarBoxPlacesTheFaceAndTheWarningSaysSo() throws Exception {
        FaceCropPreparer haarOnly = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), DETECTOR, 128, 128, 2);
        PreparedImage p = haarOnly.prepare(png(offCentrePortrait()));
        assertEquals(List.of(FaceLocator.HAAR_ONLY_WARNING), p.warnings());
        assertEquals(0f, p.faceVector()[FaceVector.SOURCE], "from the box's proportions");
        assertEquals(0.5, p.face().mouthX(), 0.06, "the crop is centred on the face");
    }

    @Test
    void aLandmarkerThatFailsFallsBackToTheHaarBoxAndSaysSo() throws Exception {
        FaceLandmarker broken = FaceLandmarker.load(WeightFiles.classpath(), 1);
        broken.close();
        FaceCropPreparer p = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), broken, DETECTOR, 128, 128,
                PatchRegion.defaultSize(128, 128), 2);
        PreparedImage prepared = p.prepare(png(offCentrePortrait()));
        assertEquals(2, prepared.warnings().size(), prepared.warnings().toString());
        assertTrue(prepared.warnings().get(0).startsWith(FaceLocator.LANDMARKER_FAILED), prepared.warnings().toString());
        assertEquals(FaceLocator.HAAR_WARNING, prepared.warnings().get(1));
    }

    private static BufferedImage offCentrePortrait() {
        BufferedImage canvas = plain(1200, 900, Color.GRAY);
        var g = canvas.createGraphics();
        g.drawImage(DefaultAvatar.draw(512), 620, 300, null);
        g.dispose();
        return canvas;
    }

    /** The vector's mouth centre is on the lips in the prepared pixels (lips are red, skin and background are not). */
    private static void assertLipsAt(PreparedImage p, float[] v) {
        PatchRegion patch = p.patch();
        int mx = Math.round(patch.x() + v[FaceVector.MOUTH_X] * patch.size());
        int my = Math.round(patch.y() + (v[FaceVector.MOUTH_Y] + 0.5f * v[FaceVector.LOWER_LIP]) * patch.size());
        int i = 3 * (my * p.width() + mx);
        int r = p.rgb()[i] & 0xFF;
        int gr = p.rgb()[i + 1] & 0xFF;
        assertTrue(r > gr + 50, "lip colour at the mouth: r=" + r + " g=" + gr);
    }

    @Test
    void theDefaultAvatarNeedsNoDetectionAndKeepsItsGeometry() {
        PreparedImage p = preparer.prepare(null);
        assertTrue(p.warnings().isEmpty());
        assertEquals(DefaultAvatar.GEOMETRY, p.face());
    }

    @Test
    void theDetectorLoadsItsCascadeFromThePackageAndFindsNoFaceInNoise() {
        BufferedImage noise = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        var r = new java.util.Random(7);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                noise.setRGB(x, y, r.nextInt(0xFFFFFF));
            }
        }
        assertTrue(DETECTOR.detect(noise).isEmpty());
    }

    @Test
    void preparedAvatarsAreCachedByImageHashInABoundedCache() throws Exception {
        byte[] a = png(plain(100, 100, Color.RED));
        byte[] b = png(plain(100, 100, Color.GREEN));
        byte[] c = png(plain(100, 100, Color.BLUE));
        PreparedImage first = preparer.prepare(a);
        assertSame(first, preparer.prepare(a.clone()), "same bytes, same prepared avatar");
        preparer.prepare(b);
        preparer.prepare(c);
        assertEquals(2, preparer.cached());
        assertNotSame(first, preparer.prepare(a), "the least recently used entry was evicted");
    }

    @Test
    void everyBadImageIsRefusedBeforeDecoding() throws Exception {
        byte[] good = png(plain(64, 64, Color.RED));
        List<byte[]> bad = List.of(
                new byte[0],
                "not an image".getBytes(),
                Arrays.copyOf(good, good.length - 8),
                bombPng(50_000, 50_000),
                bombPng(0, 64));
        for (byte[] bytes : bad) {
            var e = assertThrows(IllegalArgumentException.class, () -> preparer.prepare(bytes));
            InvalidImageException cause = assertInstanceOf(InvalidImageException.class, e.getCause());
            assertTrue(cause.reason() != InvalidImageException.Reason.UNDECODABLE,
                    "refused by its header, not by the decoder: " + cause.getMessage());
        }
        assertEquals(0, preparer.cached());
    }

    /** A PNG whose IHDR declares w x h over a tiny body (CRCs valid). */
    private static byte[] bombPng(int w, int h) throws Exception {
        byte[] real = png(plain(8, 8, Color.BLACK));
        byte[] b = real.clone();
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(w).putInt(h);
        var crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17);
        java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        return b;
    }

    @Test
    void warmUpKeepsNothingInTheCache() {
        preparer.warmUp();
        assertEquals(0, preparer.cached(), "the warm-up avatar is not cached");
        preparer.prepare(null);
        assertEquals(1, preparer.cached());
    }
}
