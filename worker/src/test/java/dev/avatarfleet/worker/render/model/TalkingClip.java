package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Renders one photo speaking a recorded sentence (a WAV, e.g. from espeak-ng) through the worker's default model as
 * the render loop does, and writes the frames as a looping GIF at 25 FPS (GIF carries no sound).
 * Usage: {@code TalkingClip OUT.gif SPEECH.wav PHOTO [SIDE]} where PHOTO is as {@link TalkingStrip} takes it and SIDE
 * the GIF's side in pixels (256 by default; the frame is 512 x 512).
 */
public final class TalkingClip {

    private TalkingClip() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<short[]> ticks = ticks48k(Path.of(args[1]));
        int side = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        int p = PatchRegion.defaultSize(512, 512);
        List<byte[]> frames;
        PreparedImage avatar;
        try (FaceLandmarker lm = FaceLandmarker.load();
             AvatarModel model = AvatarModel.open(Files.createTempDirectory("clip-model"), p, 0);
             ModelFrames renderer = new ModelFrames(model)) {
            FaceCropPreparer prep = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), lm, new HaarFaceDetector(), 512, 512, p, 1);
            avatar = prep.prepare(TalkingStrip.png(TalkingStrip.load(args[2])));
            float[] clock = new float[ticks.size()];
            for (int k = 0; k < clock.length; k++) {
                clock[k] = k * 0.04f;
            }
            frames = renderer.render(avatar, ticks, clock);
        }
        writeGif(out, frames, avatar.width(), avatar.height(), side);
        System.out.println(out + ": " + frames.size() + " frames, warnings " + avatar.warnings());
    }

    /** The WAV's first channel at 48 kHz (linear interpolation), cut into 40 ms ticks, the last one padded with silence. */
    static List<short[]> ticks48k(Path wav) throws Exception {
        short[] in;
        float rate;
        try (AudioInputStream s = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = s.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IllegalArgumentException("16-bit signed PCM expected: " + f);
            }
            byte[] bytes = s.readAllBytes();
            int channels = f.getChannels();
            ByteBuffer b = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            in = new short[bytes.length / 2 / channels];
            for (int i = 0; i < in.length; i++) {
                in[i] = b.getShort(i * 2 * channels);
            }
            rate = f.getSampleRate();
        }
        int n = AudioFeed.SAMPLES_PER_TICK;
        int total = (int) ((long) in.length * AudioFeed.SAMPLE_RATE / (long) rate);
        List<short[]> ticks = new ArrayList<>();
        for (int start = 0; start < total; start += n) {
            short[] t = new short[n];
            for (int i = 0; i < n && start + i < total; i++) {
                double x = (start + i) * rate / AudioFeed.SAMPLE_RATE;
                int j = (int) x;
                double w = x - j;
                double a = in[Math.min(j, in.length - 1)];
                double c = in[Math.min(j + 1, in.length - 1)];
                t[i] = (short) Math.round(a + (c - a) * w);
            }
            ticks.add(t);
        }
        return ticks;
    }

    static void writeGif(Path out, List<byte[]> rgbFrames, int w, int h, int side) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            boolean first = true;
            for (byte[] rgb : rgbFrames) {
                BufferedImage frame = scaled(TalkingStrip.image(rgb, w, h), side);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode gce = child(root, "GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", "4");
                gce.setAttribute("transparentColorIndex", "0");
                if (first) {
                    // why: NETSCAPE2.0 with count 0 makes viewers loop the clip
                    IIOMetadataNode apps = child(root, "ApplicationExtensions");
                    IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                    app.setAttribute("applicationID", "NETSCAPE");
                    app.setAttribute("authenticationCode", "2.0");
                    app.setUserObject(new byte[] {1, 0, 0});
                    apps.appendChild(app);
                    first = false;
                }
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        Files.write(out, bytes.toByteArray());
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static BufferedImage scaled(BufferedImage img, int side) {
        BufferedImage s = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = s.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, side, side, null);
        g.dispose();
        return s;
    }
}
