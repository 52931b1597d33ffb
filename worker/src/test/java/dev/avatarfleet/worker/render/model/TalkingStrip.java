package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.PhotoSet;
import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.FormantVowels;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws strips of talking frames for photos: each row one photo, 10 frames of the head region (the patch, plus a
 * margin) over a vowel sequence (silence, /a/, /i/, /u/, silence, with a blink at 0.5 s), labelled.
 * Usage: {@code TalkingStrip OUT.png PHOTO...} where PHOTO is a file or a test photo name (sample1.jpg) with an
 * optional {@code @x,y,side} crop.
 */
public final class TalkingStrip {

    static final int TICKS = 30;
    static final int STEP = 3;

    private TalkingStrip() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<BufferedImage> rows = new ArrayList<>();
        int p = PatchRegion.defaultSize(512, 512);
        try (FaceLandmarker lm = FaceLandmarker.load();
             AvatarModel model = AvatarModel.open(java.nio.file.Files.createTempDirectory("strip-model"), p, 0);
             ModelFrames frames = new ModelFrames(model)) {
            FaceCropPreparer prep = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), lm, new HaarFaceDetector(), 512, 512, p, 8);
            for (int i = 1; i < args.length; i++) {
                PreparedImage avatar = prep.prepare(png(load(args[i])));
                rows.add(row(avatar, frames, args[i]));
                System.out.println(args[i] + ": patch " + avatar.patch() + " warnings " + avatar.warnings());
            }
        }
        int w = rows.get(0).getWidth();
        BufferedImage sheet = new BufferedImage(w, rows.stream().mapToInt(BufferedImage::getHeight).sum(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        int y = 0;
        for (BufferedImage r : rows) {
            g.drawImage(r, 0, y, null);
            y += r.getHeight();
        }
        g.dispose();
        ImageIO.write(sheet, out.toString().endsWith(".jpg") ? "jpg" : "png", out.toFile());
    }

    static List<short[]> vowelSequence() {
        List<short[]> audio = new ArrayList<>();
        for (int k = 0; k < TICKS; k++) {
            FormantVowels.Vowel v = k < 3 ? null : k < 9 ? FormantVowels.A : k < 15 ? FormantVowels.I : k < 21 ? FormantVowels.U : null;
            audio.add(v == null ? new short[AudioFeed.SAMPLES_PER_TICK] : FormantVowels.tick(v, 120, k));
        }
        return audio;
    }

    static String label(int k) {
        String sound = k < 3 ? "silence" : k < 9 ? "/a/" : k < 15 ? "/i/" : k < 21 ? "/u/" : "silence";
        return String.format("%.2f s %s", k * 0.04, sound);
    }

    static BufferedImage row(PreparedImage avatar, ModelFrames frames, String name) {
        float[] clock = new float[TICKS];
        for (int k = 0; k < TICKS; k++) {
            clock[k] = k * 0.04f;
        }
        List<byte[]> f = frames.render(avatar, vowelSequence(), clock);
        PatchRegion p = avatar.patch();
        int side = p.size();
        BufferedImage row = new BufferedImage(side * TICKS / STEP, side + 18, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0, col = 0; k < TICKS; k += STEP, col++) {
            BufferedImage frame = image(f.get(k), avatar.width(), avatar.height());
            g.drawImage(frame.getSubimage(p.x(), p.y(), side, side), col * side, 18, null);
            g.setColor(Color.WHITE);
            g.drawString(label(k), col * side + 4, 13);
        }
        g.dispose();
        return row;
    }

    static BufferedImage image(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | rgb[3 * i + 2] & 0xFF;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    static BufferedImage load(String spec) throws Exception {
        String[] parts = spec.split("@");
        BufferedImage img = parts[0].contains("/") ? ImageIO.read(Path.of(parts[0]).toFile()) : PhotoSet.read(parts[0]);
        if (parts.length > 1) {
            String[] c = parts[1].split(",");
            int x = Integer.parseInt(c[0]);
            int y = Integer.parseInt(c[1]);
            int s = Integer.parseInt(c[2]);
            img = img.getSubimage(x, y, s, s);
        }
        return img;
    }

    static byte[] png(BufferedImage img) throws Exception {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", b);
        return b.toByteArray();
    }
}
