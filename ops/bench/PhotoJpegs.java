import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Bench helper, run as a source file (JDK only): {@code java ops/bench/PhotoJpegs.java SOURCE.jpg OUT_DIR NAME WIDTH
 * HEIGHT N} writes OUT_DIR/NAME-1.jpg .. NAME-N.jpg: a real photo of a person (one of the group photos that
 * @vladmandic/face-api ships in demo/, installed by ops/face-models) scaled to WIDTH x HEIGHT (bicubic), with a
 * fixed-seed grain of +-6 levels so the JPEG's size is a camera's rather than a smooth upscale's, at quality 92.
 * Each differs from the others in one corner pixel, so each has its own content hash (the worker prepares each afresh).
 * Deterministic: the same arguments write the same bytes.
 */
public class PhotoJpegs {
    public static void main(String[] args) throws Exception {
        BufferedImage source = ImageIO.read(new File(args[0]));
        File dir = new File(args[1]);
        dir.mkdirs();
        String name = args[2];
        int w = Integer.parseInt(args[3]);
        int h = Integer.parseInt(args[4]);
        int n = Integer.parseInt(args[5]);
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        Random grain = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = scaled.getRGB(x, y);
                int d = grain.nextInt(13) - 6;
                scaled.setRGB(x, y, (clamp(((rgb >> 16) & 0xff) + d) << 16) | (clamp(((rgb >> 8) & 0xff) + d) << 8) | clamp((rgb & 0xff) + d));
            }
        }
        for (int i = 1; i <= n; i++) {
            scaled.setRGB(0, 0, (i * 37) & 0xffffff);
            File out = new File(dir, name + "-" + i + ".jpg");
            out.delete();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(scaled, null, null), param);
            } finally {
                writer.dispose();
            }
        }
        System.out.println(name + ": " + n + " x " + w + "x" + h + " (" + String.format("%.1f", w * (double) h / 1e6) + " MP), "
                + new File(dir, name + "-1.jpg").length() / 1024 + " KB each");
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
