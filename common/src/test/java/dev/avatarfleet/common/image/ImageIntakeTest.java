package dev.avatarfleet.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.image.InvalidImageException.Reason;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageIntakeTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
    private final ImageInspector inspector = decoder.inspector();

    @Test
    void decodesPngJpegAndWebp() {
        DecodedImage png = decoder.decode(TestImages.png(64, 32));
        assertEquals(ImageFormat.PNG, png.header().format());
        assertEquals(64, png.pixels().getWidth());
        assertEquals(32, png.pixels().getHeight());
        assertEquals(0xFF0000, png.pixels().getRGB(3, 3) & 0xFFFFFF);

        DecodedImage jpeg = decoder.decode(TestImages.jpeg(48, 40));
        assertEquals(ImageFormat.JPEG, jpeg.header().format());
        assertEquals(48, jpeg.pixels().getWidth());
        assertEquals(40, jpeg.pixels().getHeight());

        DecodedImage webp = decoder.decode(TestImages.webpSolid(30, 20, 10, 200, 30));
        assertEquals(ImageFormat.WEBP, webp.header().format());
        assertEquals(30, webp.pixels().getWidth());
        assertEquals(20, webp.pixels().getHeight());
        assertEquals(0x0AC81E, webp.pixels().getRGB(7, 7) & 0xFFFFFF);
    }

    @Test
    void honoursExifOrientation() {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(80, 40), 6);
        ImageHeader header = inspector.inspect(jpeg);
        assertEquals(6, header.orientation());
        DecodedImage upright = decoder.decode(jpeg);
        // why: orientation 6 = rotate 90 degrees clockwise, so the red left half ends on top
        assertEquals(40, upright.pixels().getWidth());
        assertEquals(80, upright.pixels().getHeight());
        assertRed(upright.pixels().getRGB(20, 10));
        assertBlue(upright.pixels().getRGB(20, 70));

        DecodedImage flipped = decoder.decode(TestImages.withExifOrientation(TestImages.jpeg(80, 40), 8));
        assertBlue(flipped.pixels().getRGB(20, 10));
        assertRed(flipped.pixels().getRGB(20, 70));

        DecodedImage mirrored = decoder.decode(TestImages.withExifOrientation(TestImages.jpeg(80, 40), 2));
        assertEquals(80, mirrored.pixels().getWidth());
        assertBlue(mirrored.pixels().getRGB(10, 20));
    }

    @Test
    void refusesWrongMagicEmptyAndOversizedBytes() {
        assertReason(Reason.EMPTY, new byte[0]);
        assertReason(Reason.UNSUPPORTED_FORMAT, "GIF89a not really".getBytes());
        assertReason(Reason.UNSUPPORTED_FORMAT, "{\"image\":\"hello\"}".getBytes());
        assertReason(Reason.UNSUPPORTED_FORMAT, new byte[] {(byte) 0xFF, (byte) 0xD8});
        var small = new ImageInspector(new ImageLimits(100, ImageLimits.DEFAULT_MAX_PIXELS, ImageLimits.DEFAULT_MAX_SIDE));
        var e = assertThrows(InvalidImageException.class, () -> small.inspect(TestImages.png(64, 64)));
        assertEquals(Reason.TOO_MANY_BYTES, e.reason());
    }

    @Test
    void refusesTruncatedImagesOfEveryFormat() {
        for (byte[] good : new byte[][] {TestImages.png(64, 64), TestImages.jpeg(64, 64), TestImages.webpSolid(64, 64, 1, 2, 3)}) {
            for (int cut : new int[] {good.length - 1, good.length / 2, 20, 13}) {
                byte[] cutOff = Arrays.copyOf(good, cut);
                var e = assertThrows(InvalidImageException.class, () -> decoder.decode(cutOff),
                        ImageFormat.sniff(good) + " cut at " + cut);
                assertTrue(e.reason() == Reason.TRUNCATED, ImageFormat.sniff(good) + " cut at " + cut + ": " + e.getMessage());
            }
        }
    }

    @Test
    void refusesDecompressionBombsByTheirDeclaredSize() {
        assertReason(Reason.SIDE_TOO_LONG, TestImages.pngDeclaring(100_000, 10));
        assertReason(Reason.TOO_MANY_PIXELS, TestImages.pngDeclaring(10_000, 10_000));
        assertReason(Reason.SIDE_TOO_LONG, TestImages.pngDeclaring(0x7FFF_FFFFL, 0x7FFF_FFFFL));
        assertReason(Reason.TOO_MANY_PIXELS, TestImages.jpegDeclaring(9_000, 9_000));
        assertReason(Reason.SIDE_TOO_LONG, TestImages.jpegDeclaring(65_000, 8));
        assertReason(Reason.SIDE_TOO_LONG, TestImages.webpSolid(16_384, 16_384, 0, 0, 0));
        assertReason(Reason.TOO_MANY_PIXELS, TestImages.webpExtendedDeclaring(10_000, 10_000));
        // why: each of those files is under 1 KB; the limits are on what they declare, not on their length
        assertTrue(TestImages.webpSolid(16_384, 16_384, 0, 0, 0).length < 100);
    }

    @Test
    void refusesZeroSize() {
        assertReason(Reason.ZERO_SIZE, TestImages.pngDeclaring(0, 10));
        assertReason(Reason.ZERO_SIZE, TestImages.jpegDeclaring(16, 0));
    }

    @Test
    void refusesMalformedHeadersAndGarbageAfterAValidHeader() {
        byte[] png = TestImages.png(32, 32);
        byte[] noIhdr = png.clone();
        noIhdr[12] = 'X';
        assertReason(Reason.MALFORMED, noIhdr);
        // a valid-looking PNG header whose compressed data is garbage passes inspection and fails decoding
        byte[] garbage = TestImages.pngDeclaring(32, 32);
        var e = assertThrows(InvalidImageException.class, () -> decoder.decode(garbage));
        assertEquals(Reason.UNDECODABLE, e.reason());
    }

    @Test
    void limitsComeFromTheEnvironmentAndBadValuesNameTheSetting() {
        var limits = ImageLimits.fromEnvironment(new Env(Map.of("IMAGE_MAX_PIXELS", "1000")));
        assertEquals(1000, limits.maxPixels());
        assertEquals(ImageLimits.DEFAULT_MAX_SIDE, limits.maxSide());
        var e = assertThrows(IllegalArgumentException.class, () -> ImageLimits.fromEnvironment(new Env(Map.of("IMAGE_MAX_SIDE", "-3"))));
        assertTrue(e.getMessage().contains("IMAGE_MAX_SIDE"));
        assertReason(new ImageInspector(limits), Reason.TOO_MANY_PIXELS, TestImages.png(40, 40));
    }

    private void assertReason(Reason reason, byte[] bytes) {
        assertReason(inspector, reason, bytes);
        // why: the same refusal must come from decode(), proving it happens before any pixel is decoded
        var e = assertThrows(InvalidImageException.class, () -> decoder.decode(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static void assertReason(ImageInspector inspector, Reason reason, byte[] bytes) {
        var e = assertThrows(InvalidImageException.class, () -> inspector.inspect(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().length() > 10);
    }

    private static void assertRed(int rgb) {
        assertTrue(((rgb >> 16) & 0xFF) > 200 && (rgb & 0xFF) < 60, Integer.toHexString(rgb));
    }

    private static void assertBlue(int rgb) {
        assertTrue(((rgb >> 16) & 0xFF) < 60 && (rgb & 0xFF) > 200, Integer.toHexString(rgb));
    }
}
