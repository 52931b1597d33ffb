import dev.avatarfleet.worker.render.avatar.DefaultAvatar;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Bench helper, run as a source file on the worker's classes:
 * {@code java -cp worker/target/classes ops/bench/AvatarJpegs.java OUT_DIR N} writes OUT_DIR/avatar-1.jpg ..
 * avatar-N.jpg, the worker's drawn default portrait as JPEG q95 like the bitHuman plugin's re-encode. Each differs from the
 * others in one corner pixel, so each has its own content hash and the worker prepares it afresh (no cache hit).
 */
public class AvatarJpegs {
    public static void main(String[] args) throws Exception {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(DefaultAvatar.png()));
        File dir = new File(args[0]);
        dir.mkdirs();
        int n = Integer.parseInt(args[1]);
        for (int i = 1; i <= n; i++) {
            BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(source, 0, 0, null);
            rgb.setRGB(0, 0, (i * 37) & 0xffffff);
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            ImageWriter writer = writers.next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            File out = new File(dir, "avatar-" + i + ".jpg");
            out.delete();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
        }
    }
}
