package dev.avatarfleet.worker.render.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.TestAudio;
import dev.avatarfleet.worker.render.avatar.PatchCut;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

class AvatarModelTest {

    private static final int W = 256;
    private static final int H = 256;

    private final AvatarModel model = ModelFixture.model(W, H);
    private final PreparedImage avatar = ModelFixture.defaultAvatar(W, H);
    private final int p = model.patchSize();
    private final float[] face = avatar.faceVector();

    private List<byte[]> render(int ticks, LongFunction<short[]> audio) {
        return ModelFixture.patches(model, avatar, ticks, audio, false);
    }

    /** Luma of the lower lip and the gap between the lips (dark when the mouth is open). */
    private double mouthLuma(byte[] patch) {
        float mx = face[FaceVector.MOUTH_X];
        float my = face[FaceVector.MOUTH_Y];
        float rx = face[FaceVector.MOUTH_HALF_WIDTH];
        float ry = face[FaceVector.UPPER_LIP];
        return ModelFixture.meanOf(patch, p, mx - 0.5 * rx, my + 0.2 * ry, mx + 0.5 * rx, my + 1.1 * ry);
    }

    @Test
    void theDefaultModelRendersTheHeadRegionAndExportsItsMotion() {
        assertEquals(160, p, "five eighths of 256");
        assertTrue(model.exportsMotion());
        assertEquals(List.of("audio", "face", "patch", "state", "t"), model.signatureInputs().stream().sorted().toList());
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
        assertTrue(Math.abs(closedAgain - neverOpened) < 2.0, "15 ticks of silence after speech: " + closedAgain + " vs " + neverOpened);
    }

    @Test
    void aSilentAvatarBlinksAndMovesItsHead() {
        List<byte[]> frames = render(40, k -> TestAudio.silence());
        float ex = face[FaceVector.LEFT_EYE_X];
        float ey = face[FaceVector.LEFT_EYE_Y];
        float hw = face[FaceVector.EYE_HALF_WIDTH];
        float hh = face[FaceVector.EYE_HALF_HEIGHT];
        // why: the default model blinks at t = 0.5 s (tick 12); at t = 0 the eye is open
        double eyeOpen = ModelFixture.meanOf(frames.get(0), p, ex - hw, ey - hh, ex + hw, ey + hh);
        double eyeShut = ModelFixture.meanOf(frames.get(12), p, ex - hw, ey - hh, ex + hw, ey + hh);
        assertTrue(Math.abs(eyeOpen - eyeShut) > 8, "eye region " + eyeOpen + " open vs " + eyeShut + " at the blink");
        int changed = 0;
        byte[] a = frames.get(0);
        byte[] b = frames.get(39);
        for (int i = 0; i < p * p; i++) {
            if (Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) > 10) {
                changed++;
            }
        }
        assertTrue(changed > p * p / 100, "head motion over 1.6 s changed only " + changed + " of " + p * p + " luma values");
    }

    @Test
    void theMotionIsZeroOnThePatchBorderSoThePatchComposesWithoutASeam() {
        List<byte[]> frames = render(30, k -> k > 5 ? TestAudio.vowel(k) : TestAudio.silence());
        byte[] still = PatchCut.i420(avatar.patchRgb(), p, p);
        for (byte[] f : frames) {
            for (int i = 0; i < p; i++) {
                for (int at : new int[] {i, (p - 1) * p + i, i * p, i * p + p - 1}) {
                    assertEquals(still[at] & 0xFF, f[at] & 0xFF, 2, "luma on the border ring at " + at);
                }
            }
        }
    }

    @Test
    void aBatchGivesTheSameResultsAsSingleCalls() {
        PreparedImage other = ModelFixture.defaultAvatar(W, H);
        int b = 3;
        float[][] states = {new float[8], {0.7f, 0.2f, 0.5f, 0, 0, 0, 0, 0}, {0.3f, 0.6f, 0.1f, 0, 0, 0, 0, 0}};
        float[] clocks = {0.0f, 0.52f, 3.3f};
        List<short[]> audio = List.of(TestAudio.silence(), TestAudio.vowel(3), TestAudio.vowel(11));
        float[] shifted = face.clone();
        shifted[FaceVector.MOUTH_X] += 0.03f;
        shifted[FaceVector.MOUTH_Y] -= 0.02f;
        float[][] faces = {face, other.faceVector(), shifted};
        byte[][] patches = {avatar.patchRgb(), other.patchRgb(), avatar.patchRgb()};
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        for (boolean graph : new boolean[] {false, true}) {
            try (ModelBatch together = new ModelBatch(p, b); ModelBatch alone = new ModelBatch(p, 1)) {
                together.wantI420(graph);
                alone.wantI420(graph);
                for (int i = 0; i < b; i++) {
                    Downsampler.to16k(audio.get(i), a16, 0);
                    together.add(patches[i], a16, 0, clocks[i], states[i], faces[i]);
                }
                model.run(together);
                for (int i = 0; i < b; i++) {
                    alone.clear();
                    Downsampler.to16k(audio.get(i), a16, 0);
                    alone.add(patches[i], a16, 0, clocks[i], states[i], faces[i]);
                    model.run(alone);
                    float[] s1 = new float[8];
                    float[] s2 = new float[8];
                    together.nextState(i, s1);
                    alone.nextState(0, s2);
                    assertArrayEquals(s2, s1, 1e-6f, "session " + i + " state");
                    if (graph) {
                        byte[] x = new byte[p * p * 3 / 2];
                        byte[] y = new byte[p * p * 3 / 2];
                        together.i420(i, x, 0);
                        alone.i420(0, y, 0);
                        assertArrayEquals(y, x, "session " + i + " I420");
                    } else {
                        int g = FaceMotion.GRID * FaceMotion.GRID * 2;
                        assertArrayEquals(java.util.Arrays.copyOfRange(alone.warp, 0, g),
                                java.util.Arrays.copyOfRange(together.warp, i * g, (i + 1) * g), 1e-4f, "session " + i + " warp");
                        assertArrayEquals(java.util.Arrays.copyOfRange(alone.cavity, 0, p * p),
                                java.util.Arrays.copyOfRange(together.cavity, i * p * p, (i + 1) * p * p), 1e-5f, "session " + i + " cavity");
                    }
                }
            }
        }
    }

    @Test
    void theNativeSynthesisMatchesTheModelsOwn() {
        LongFunction<short[]> speech = k -> k % 12 < 8 ? TestAudio.vowel(k) : TestAudio.silence();
        List<byte[]> nat = ModelFixture.patches(model, avatar, 30, speech, false);
        List<byte[]> graph = ModelFixture.patches(model, avatar, 30, speech, true);
        for (int k = 0; k < nat.size(); k++) {
            double[] luma = ModelFixture.difference(nat.get(k), graph.get(k), p * p);
            double[] all = ModelFixture.difference(nat.get(k), graph.get(k), p * p * 3 / 2);
            assertTrue(luma[0] < 0.5 && all[0] < 0.5, "tick " + k + ": mean difference luma " + luma[0] + ", all planes " + all[0]);
        }
    }

    @Test
    void withoutMotionTheNativeSynthesisIsThePatchInI420() {
        try (ModelBatch batch = new ModelBatch(p, 1); NativeSynthesis synth = new NativeSynthesis(p)) {
            batch.add(avatar.patchRgb(), new float[640], 0, 0f, new float[8], face);
            batch.motionFetched = true;
            byte[] out = new byte[p * p * 3 / 2];
            synth.render(batch, 0, out, 0);
            assertArrayEquals(PatchCut.i420(avatar.patchRgb(), p, p), out);
        }
    }

    @Test
    void theGraphsI420IsBt601LimitedRangeWithChromaFromEach2x2Block() {
        int s = 16;
        byte[] rgb = new byte[s * s * 3];
        new Random(7).nextBytes(rgb);
        byte[] yuv = new byte[s * s * 3 / 2];
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var patch = tf.withName("patch").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            Ops zeros = tf;
            var warp = zeros.zeros(zeros.constant(new int[] {1, FaceMotion.GRID, FaceMotion.GRID, 2}), TFloat32.class);
            var cavity = zeros.zeros(zeros.constant(new int[] {1, s, s, 1}), TFloat32.class);
            tf.withName("out").identity(Synthesis.patchI420(tf, patch, warp, cavity, s));
            try (Session session = new Session(g); TUint8 in = TUint8.tensorOf(Shape.of(1, s, s, 3))) {
                in.asRawTensor().data().write(rgb);
                try (Result r = session.runner().feed("patch", in).fetch("out").run()) {
                    r.get(0).asRawTensor().data().read(yuv);
                }
            }
        }
        for (int i = 0; i < s * s; i++) {
            double y = 16 + 0.2568 * (rgb[3 * i] & 0xFF) + 0.5041 * (rgb[3 * i + 1] & 0xFF) + 0.0979 * (rgb[3 * i + 2] & 0xFF);
            assertEquals(y, yuv[i] & 0xFF, 1.0, "luma at " + i);
        }
        for (int cy = 0; cy < s / 2; cy++) {
            for (int cx = 0; cx < s / 2; cx++) {
                double r = 0;
                double gr = 0;
                double bl = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int q = (2 * cy + dy) * s + 2 * cx + dx;
                        r += (rgb[3 * q] & 0xFF) / 4.0;
                        gr += (rgb[3 * q + 1] & 0xFF) / 4.0;
                        bl += (rgb[3 * q + 2] & 0xFF) / 4.0;
                    }
                }
                int c = cy * (s / 2) + cx;
                assertEquals(128 - 0.1482 * r - 0.2910 * gr + 0.4392 * bl, yuv[s * s + c] & 0xFF, 1.0, "U at " + cx + "," + cy);
                assertEquals(128 + 0.4392 * r - 0.3678 * gr - 0.0714 * bl, yuv[s * s + s * s / 4 + c] & 0xFF, 1.0, "V at " + cx + "," + cy);
            }
        }
    }
}
