package dev.avatarfleet.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Each photo launch brings bytes of its own that decode to the same picture. */
class LaunchLoadTest {

    @Test
    void aCommentMakesOtherBytesOfTheSamePicture() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(8, 8, 40, 30);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        byte[] jpeg = out.toByteArray();

        byte[] a = LaunchLoad.withComment(jpeg, "launch 1");
        byte[] b = LaunchLoad.withComment(jpeg, "launch 2");
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, jpeg));
        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(jpeg));
        for (byte[] bytes : new byte[][] {a, b}) {
            BufferedImage got = ImageIO.read(new ByteArrayInputStream(bytes));
            assertEquals(64, got.getWidth());
            assertEquals(48, got.getHeight());
            assertArrayEquals(plain.getRGB(0, 0, 64, 48, null, 0, 64), got.getRGB(0, 0, 64, 48, null, 0, 64));
        }
        assertThrows(IllegalArgumentException.class, () -> LaunchLoad.withComment(new byte[] {1, 2, 3, 4}, "x"));
    }
}
