package dev.avatarfleet.worker.render;

import dev.avatarfleet.worker.render.model.ModelFrames;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** How the photo tests render a session, and the image bytes they prepare. */
final class TalkingRenderers {

    private TalkingRenderers() {
    }

    /** A fresh session per call, through the loaded model as the render loop renders it. */
    static TalkingJudge.Renderer of(ModelFrames frames) {
        return frames::render;
    }

    /** The photo as the JPEG bytes a user would upload. */
    static byte[] jpeg(BufferedImage img) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
