package dev.avatarfleet.worker.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.face.SharedLandmarker;
import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.render.avatar.DefaultAvatar;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.ModelFixture;
import dev.avatarfleet.worker.render.model.ModelFrames;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The media tests' mouth judge ({@link ReceivedMouth}) can fail, and is not fooled by the head's motion: the default
 * model renders the avatar of the media tests (256 x 256) through one session of 2.4 s silence, 2.4 s of the agent's
 * speech (ops/sdk-tests/agent.mjs: a 150 Hz buzz with harmonics, syllables at 4 Hz) and 1.6 s silence, and a second
 * session silent throughout on the same clock: a renderer whose mouth does not move, with the same head motion. On top
 * of the model's own sway every frame of both is moved further, the same way for both, by up to 8 px across, 5 px
 * down, 4 degrees of roll and 4 % of scale (several times the model's sway): the judge must find the mouth opening on
 * the speech and closing after it, and must NOT find it opening in the silent session's frames of the same ticks, nor
 * closed while speech goes on. The fixed-region measure the media tests used before (mean luma change in the
 * picture's lower middle against the first frame) is printed beside, for comparison.
 */
class ReceivedMouthTest {

    static final int SIZE = 256;
    static final int SPEECH_FROM = 60;
    static final int SILENCE_FROM = 120;
    static final int TICKS = 160;
    static final int PER_PHASE = 10;

    private static ModelFrames frames;
    private static FaceCropPreparer preparer;
    private static ReceivedMouth judge;

    @BeforeAll
    static void load() {
        AvatarModel model = ModelFixture.model(SIZE, SIZE);
        frames = new ModelFrames(model);
        preparer = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), SharedLandmarker.get(), new HaarFaceDetector(), SIZE, SIZE,
                model.patchSize(), 2);
        judge = new ReceivedMouth(SharedLandmarker.get());
    }

    @AfterAll
    static void close() {
        frames.close();
    }

    /** The media tests' avatars: the default one (no image: LiveSessionMediaTest, the try-it page) and its JPEG (placed by landmarks). */
    static Stream<String> avatars() {
        return Stream.of("default avatar", "default avatar as an uploaded JPEG");
    }

    private static PreparedImage avatar(String name) {
        return name.startsWith("default avatar as") ? preparer.prepare(TalkingRenderers.jpeg(png(DefaultAvatar.png()))) : preparer.prepare(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avatars")
    void theMouthIsJudgedInEachFramesOwnFaceWhateverTheHeadDoes(String name) {
        PreparedImage avatar = avatar(name);
        float[] clock = new float[TICKS];
        for (int k = 0; k < TICKS; k++) {
            clock[k] = 0.2f + 0.04f * k;
        }
        List<BufferedImage> talking = swayed(frames.render(avatar, audio(k -> k >= SPEECH_FROM && k < SILENCE_FROM), clock));
        List<BufferedImage> still = swayed(frames.render(avatar, audio(k -> false), clock));

        // the phases as the agent writes them: idle before the speech, speaking from 0.3 s into it, after from 0.4 s after it
        ReceivedMouth.Phase idle = judge.phase("idle", pick(talking, 0, SPEECH_FROM));
        ReceivedMouth.Phase speaking = judge.phase("speaking", pick(talking, SPEECH_FROM + 8, SILENCE_FROM));
        ReceivedMouth.Phase after = judge.phase("afterSpeech", pick(talking, SILENCE_FROM + 10, TICKS));
        ReceivedMouth.Phase stillIdle = judge.phase("idle (still mouth)", pick(still, 0, SPEECH_FROM));
        ReceivedMouth.Phase stillSpeaking = judge.phase("speaking (still mouth)", pick(still, SPEECH_FROM + 8, SILENCE_FROM));
        System.out.println(name + ": " + idle + "; " + speaking + "; " + after + " | " + stillIdle + "; " + stillSpeaking);
        System.out.printf(Locale.ROOT, "%s: fixed region against the first frame (the old judge): talking idle %.2f speaking %.2f;"
                        + " still mouth idle %.2f speaking %.2f%n", name, fixedRegion(talking, 0, SPEECH_FROM), fixedRegion(talking, SPEECH_FROM + 8,
                        SILENCE_FROM), fixedRegion(still, 0, SPEECH_FROM), fixedRegion(still, SPEECH_FROM + 8, SILENCE_FROM));

        Optional<String> opens = ReceivedMouth.opensOnSpeech(idle, speaking);
        assertTrue(opens.isEmpty(), name + ": the lips part on the speech: " + opens);
        Optional<String> closes = ReceivedMouth.closedAgain(idle, after);
        assertTrue(closes.isEmpty(), name + ": the lips close after the speech: " + closes);
        // the same judgement fails where the mouth did not move, or has not closed
        assertTrue(ReceivedMouth.opensOnSpeech(stillIdle, stillSpeaking).isPresent(),
                name + ": a still mouth with the head moving is not judged talking: " + stillIdle + "; " + stillSpeaking);
        assertTrue(ReceivedMouth.closedAgain(idle, speaking).isPresent(),
                name + ": a mouth still speaking is not judged closed: " + idle + "; " + speaking);
    }

    /** {@value #PER_PHASE} frames evenly spread over ticks [from, to). */
    private static List<BufferedImage> pick(List<BufferedImage> all, int from, int to) {
        return ReceivedMouth.spread(all.subList(from, to), PER_PHASE);
    }

    /** 48 kHz ticks: the agent's speech where {@code speaking}, silence elsewhere. */
    private static List<short[]> audio(IntFunction<Boolean> speaking) {
        List<short[]> ticks = new ArrayList<>();
        for (int k = 0; k < TICKS; k++) {
            short[] a = new short[AudioFeed.SAMPLES_PER_TICK];
            if (speaking.apply(k)) {
                for (int i = 0; i < a.length; i++) {
                    double t = (k * a.length + i) / (double) AudioFeed.SAMPLE_RATE;
                    double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
                    double v = envelope * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)
                            + 0.25 * Math.sin(2 * Math.PI * 450 * t));
                    a[i] = (short) Math.round(v * 9000);
                }
            }
            ticks.add(a);
        }
        return ticks;
    }

    /** Each frame moved by a slow sway of its own (the same for both sessions): shift, roll and scale about the centre. */
    private static List<BufferedImage> swayed(List<byte[]> rgb) {
        List<BufferedImage> out = new ArrayList<>();
        for (int k = 0; k < rgb.size(); k++) {
            BufferedImage src = TalkingJudge.image(rgb.get(k), SIZE, SIZE);
            BufferedImage dst = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = dst.createGraphics();
            try {
                g.setColor(new Color(src.getRGB(0, 0)));
                g.fillRect(0, 0, SIZE, SIZE);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                AffineTransform a = new AffineTransform();
                a.translate(SIZE / 2.0 + 8 * Math.sin(2 * Math.PI * k / 37.0), SIZE / 2.0 + 5 * Math.sin(2 * Math.PI * k / 23.0 + 1));
                a.rotate(Math.toRadians(4 * Math.sin(2 * Math.PI * k / 29.0)));
                double s = 1 + 0.04 * Math.sin(2 * Math.PI * k / 41.0);
                a.scale(s, s);
                a.translate(-SIZE / 2.0, -SIZE / 2.0);
                g.drawImage(src, a, null);
            } finally {
                g.dispose();
            }
            out.add(dst);
        }
        return out;
    }

    /** The old judge: mean luma change in columns 30-70 %, rows 55-90 % against frame 0, over frames [from, to). */
    private static double fixedRegion(List<BufferedImage> all, int from, int to) {
        BufferedImage first = all.get(0);
        double sum = 0;
        int n = 0;
        for (int k = Math.max(1, from); k < to; k++) {
            BufferedImage f = all.get(k);
            for (int y = (int) (SIZE * 0.55); y < (int) (SIZE * 0.9); y++) {
                for (int x = (int) (SIZE * 0.3); x < (int) (SIZE * 0.7); x++) {
                    sum += Math.abs(luma(f.getRGB(x, y)) - luma(first.getRGB(x, y)));
                    n++;
                }
            }
        }
        return sum / n;
    }

    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    private static BufferedImage png(byte[] bytes) {
        try {
            BufferedImage src = ImageIO.read(new ByteArrayInputStream(bytes));
            BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(src, 0, 0, null);
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
