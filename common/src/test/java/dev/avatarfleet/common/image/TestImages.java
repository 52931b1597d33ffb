package dev.avatarfleet.common.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Builds test images in memory: well-formed ones through ImageIO or by hand, and hostile ones byte by byte. */
public final class TestImages {

    private TestImages() {
    }

    /** Left half red, right half blue. */
    public static BufferedImage halves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(int w, int h) {
        return encode(halves(w, h), "png");
    }

    public static byte[] jpeg(int w, int h) {
        return encode(halves(w, h), "jpeg");
    }

    /** Inserts an APP1 Exif segment carrying only IFD0 Orientation right after the JPEG's SOI. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] t = tiff.array();
        int segLen = 2 + 6 + t.length;
        var out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(segLen >> 8);
        out.write(segLen & 0xFF);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(t);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * A lossless WebP (VP8L) of one solid colour, written by hand: with single-symbol prefix codes every
     * pixel costs zero bits, so any declared size fits in a few dozen bytes (which also makes it a bomb).
     */
    public static byte[] webpSolid(int w, int h, int r, int g, int b) {
        Bits bits = new Bits();
        bits.put(0x2F, 8);
        bits.put(w - 1, 14);
        bits.put(h - 1, 14);
        bits.put(0, 1); // alpha unused
        bits.put(0, 3); // version
        bits.put(0, 1); // no transform
        bits.put(0, 1); // no colour cache
        bits.put(0, 1); // no meta prefix codes
        for (int symbol : new int[] {g, r, b, 255, 0}) {
            bits.put(1, 1); // simple code
            bits.put(0, 1); // one symbol
            bits.put(1, 1); // 8-bit symbol
            bits.put(symbol, 8);
        }
        return riff("VP8L", bits.bytes());
    }

    /** A VP8X header declaring a canvas of w x h followed by a tiny real image chunk. */
    public static byte[] webpExtendedDeclaring(int w, int h) {
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.putInt(0);
        put24(vp8x, w - 1);
        put24(vp8x, h - 1);
        byte[] inner = webpSolid(4, 4, 1, 2, 3);
        byte[] vp8l = java.util.Arrays.copyOfRange(inner, 12, inner.length);
        var body = new ByteArrayOutputStream();
        body.writeBytes(chunk("VP8X", vp8x.array()));
        body.writeBytes(vp8l);
        return riffRaw(body.toByteArray());
    }

    private static void put24(ByteBuffer bb, int v) {
        bb.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }

    private static byte[] chunk(String fourcc, byte[] data) {
        ByteBuffer bb = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(fourcc.getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length).put(data);
        return bb.array();
    }

    private static byte[] riff(String fourcc, byte[] data) {
        return riffRaw(chunk(fourcc, data));
    }

    private static byte[] riffRaw(byte[] chunks) {
        ByteBuffer bb = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(4 + chunks.length)
                .put("WEBP".getBytes(StandardCharsets.ISO_8859_1)).put(chunks);
        return bb.array();
    }

    /** A structurally complete PNG whose IHDR declares w x h (the IDAT is a token, never decoded). */
    public static byte[] pngDeclaring(long w, long h) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt((int) w).putInt((int) h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer bb = ByteBuffer.allocate(12 + data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        bb.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        bb.putInt((int) crc.getValue());
        return bb.array();
    }

    /** A real JPEG whose SOF0 size fields are rewritten to declare w x h. */
    public static byte[] jpegDeclaring(int w, int h) {
        byte[] b = jpeg(16, 16);
        for (int i = 2; i < b.length - 9; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                b[i + 5] = (byte) (h >> 8);
                b[i + 6] = (byte) h;
                b[i + 7] = (byte) (w >> 8);
                b[i + 8] = (byte) w;
                return b;
            }
        }
        throw new IllegalStateException("no SOF0 in the JPEG ImageIO wrote");
    }

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void put(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >> i) & 1) << n;
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
        }

        byte[] bytes() {
            if (n > 0) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
