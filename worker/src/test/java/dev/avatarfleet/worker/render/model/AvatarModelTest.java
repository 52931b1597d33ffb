package dev.avatarfleet.worker.render.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.TestAudio;
import dev.avatarfleet.worker.render.avatar.FaceGeometry;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TUint8;

class AvatarModelTest {

    private static final int W = 256;
    private static final int H = 256;

    private final AvatarModel model = ModelFixture.model();
    private final PreparedImage avatar = ModelFixture.defaultAvatar(W, H);

    /** Renders one session tick by tick; returns the RGB frames. */
    private List<byte[]> render(int ticks, LongFunction<short[]> audio) {
        List<byte[]> frames = new ArrayList<>();
        float[] state = new float[ModelSignature.STATE_SIZE];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        try (TUint8 img = ModelFixture.images(avatar)) {
            for (int k = 0; k < ticks; k++) {
                BatchInput in = BatchInput.allocate(1);
                Downsampler.to16k(audio.apply(k), a16, 0);
                in.set(0, a16, k * 0.04f, state, avatar.face().toArray());
                BatchOutput out = model.run(img, in, true);
                state = out.stateOf(0);
                frames.add(out.rgb()[0]);
            }
        }
        return frames;
    }

    private double mouthLuma(byte[] rgb) {
        FaceGeometry f = avatar.face();
        return ModelFixture.meanLuma(rgb, W, H, f.mouthX() - 0.5 * f.mouthRx(), f.mouthY() + 0.2 * f.mouthRy(),
                f.mouthX() + 0.5 * f.mouthRx(), f.mouthY() + 1.1 * f.mouthRy());
    }

    @Test
    void loudSpeechOpensTheMouthAndSilenceClosesIt() {
        int speech = 10;
        int total = 25;
        List<byte[]> talking = render(total, k -> k < speech ? TestAudio.vowel(k) : TestAudio.silence());
        List<byte[]> silent = render(total, k -> TestAudio.silence());
        // why: same clock in both runs, so head pose and blinks match and only the audio differs
        double open = mouthLuma(talking.get(speech - 1));
        double shut = mouthLuma(silent.get(speech - 1));
        assertTrue(open < shut - 25, "mouth region luma while speaking " + open + " vs silent " + shut);
        double closedAgain = mouthLuma(talking.get(total - 1));
        double neverOpened = mouthLuma(silent.get(total - 1));
        assertTrue(Math.abs(closedAgain - neverOpened) < 2.0,
                "15 ticks of silence after speech: " + closedAgain + " vs " + neverOpened);
    }

    @Test
    void aSilentAvatarBlinksAndMovesItsHead() {
        List<byte[]> frames = render(40, k -> TestAudio.silence());
        FaceGeometry f = avatar.face();
        double eyeX0 = f.mouthX() - f.eyeDx() - 0.03;
        double eyeX1 = f.mouthX() - f.eyeDx() + 0.03;
        // why: the default model blinks at t = 0.5 s (tick 12); at t = 0 the eye is open
        double eyeOpen = ModelFixture.meanLuma(frames.get(0), W, H, eyeX0, f.eyeY() - 0.012, eyeX1, f.eyeY() + 0.012);
        double eyeShut = ModelFixture.meanLuma(frames.get(12), W, H, eyeX0, f.eyeY() - 0.012, eyeX1, f.eyeY() + 0.012);
        assertTrue(Math.abs(eyeOpen - eyeShut) > 8, "eye region " + eyeOpen + " open vs " + eyeShut + " at the blink");
        int changed = 0;
        byte[] a = frames.get(0);
        byte[] b = frames.get(39);
        for (int i = 0; i < a.length; i++) {
            if (Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) > 10) {
                changed++;
            }
        }
        assertTrue(changed > a.length / 100, "head motion over 1.6 s changed only " + changed + " of " + a.length + " values");
    }

    @Test
    void aBatchGivesTheSameFramesAsSingleRenders() {
        PreparedImage other = ModelFixture.defaultAvatar(W, H);
        int b = 3;
        float[][] states = {{0, 0, 0, 0}, {0.7f, 0.2f, 0.5f, 0}, {0.3f, 0.6f, 0.1f, 0.2f}};
        float[] clocks = {0.0f, 0.52f, 3.3f};
        List<short[]> audio = List.of(TestAudio.silence(), TestAudio.vowel(3), TestAudio.vowel(11));
        float[][] faces = {avatar.face().toArray(), other.face().toArray(), {0.52f, 0.66f, 0.09f, 0.03f, 0.45f, 0.1f}};
        BatchInput batch = BatchInput.allocate(b);
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        for (int i = 0; i < b; i++) {
            Downsampler.to16k(audio.get(i), a16, 0);
            batch.set(i, a16, clocks[i], states[i], faces[i]);
        }
        BatchOutput together;
        try (TUint8 imgs = ModelFixture.images(avatar, other, avatar)) {
            together = model.run(imgs, batch, true);
        }
        for (int i = 0; i < b; i++) {
            BatchInput one = BatchInput.allocate(1);
            Downsampler.to16k(audio.get(i), a16, 0);
            one.set(0, a16, clocks[i], states[i], faces[i]);
            BatchOutput alone;
            try (TUint8 img = ModelFixture.images(i == 1 ? other : avatar)) {
                alone = model.run(img, one, true);
            }
            assertEquals(W * H * 3 / 2, together.i420()[i].length);
            assertArrayEquals(alone.i420()[0], together.i420()[i], "session " + i + " I420");
            assertArrayEquals(alone.rgb()[0], together.rgb()[i], "session " + i + " RGB");
            assertArrayEquals(alone.stateOf(0), together.stateOf(i), 1e-6f, "session " + i + " state");
        }
    }

    @Test
    void i420PlanesMatchTheRgbFrame() {
        List<byte[]> frames = new ArrayList<>();
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        BatchInput in = BatchInput.allocate(1);
        in.set(0, a16, 0f, new float[4], avatar.face().toArray());
        BatchOutput out;
        try (TUint8 img = ModelFixture.images(avatar)) {
            out = model.run(img, in, true);
        }
        byte[] rgb = out.rgb()[0];
        byte[] yuv = out.i420()[0];
        frames.add(rgb);
        // spot-check luma at a few pixels against BT.601 limited range
        for (int p : new int[] {0, W * H / 2 + W / 2, W * H - 1, W * 40 + 128}) {
            int r = rgb[3 * p] & 0xFF;
            int g = rgb[3 * p + 1] & 0xFF;
            int bl = rgb[3 * p + 2] & 0xFF;
            double y = 16 + 0.2568 * r + 0.5041 * g + 0.0979 * bl;
            assertEquals(y, yuv[p] & 0xFF, 1.5, "luma at " + p);
        }
        // and chroma: U then V planes, each (W/2)x(H/2), from the 2x2 block average
        for (int[] at : new int[][] {{0, 0}, {64, 80}, {100, 20}, {127, 127}}) {
            double r = 0;
            double g = 0;
            double bl = 0;
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    int p = (2 * at[1] + dy) * W + 2 * at[0] + dx;
                    r += (rgb[3 * p] & 0xFF) / 4.0;
                    g += (rgb[3 * p + 1] & 0xFF) / 4.0;
                    bl += (rgb[3 * p + 2] & 0xFF) / 4.0;
                }
            }
            int c = at[1] * (W / 2) + at[0];
            assertEquals(128 - 0.1482 * r - 0.2910 * g + 0.4392 * bl, yuv[W * H + c] & 0xFF, 1.5, "U at " + at[0] + "," + at[1]);
            assertEquals(128 + 0.4392 * r - 0.3678 * g - 0.0714 * bl, yuv[W * H + W * H / 4 + c] & 0xFF, 1.5, "V at " + at[0] + "," + at[1]);
        }
    }
}
