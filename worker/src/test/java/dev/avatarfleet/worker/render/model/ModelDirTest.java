package dev.avatarfleet.worker.render.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * MODEL_DIR: empty gets the default model, a foreign model with the signature is used (with its own patch side), a
 * default model an earlier worker built is rebuilt, anything else is refused naming what is wrong.
 */
class ModelDirTest {

    /** The worker's patch side in these tests, and the one the foreign models fix for themselves. */
    private static final int WORKER_P = 40;
    private static final int FOREIGN_P = 32;

    /** What a foreign model may differ in, to build wrong ones. */
    private enum Variant { GOOD, NO_FACE, SHORT_AUDIO, OTHER_KEY, I420_AS_FLOAT, NOT_SQUARE, FIRST_SIGNATURE }

    /**
     * A foreign model: patch_i420 = the first P*P*3/2 bytes of the inverted patch, next_state = state + 1. The
     * FIRST_SIGNATURE variant is shaped like the first signature ('animate': image, 4 floats of state, 6 of face).
     */
    private static void exportForeign(Path dir, Variant v) throws Exception {
        boolean first = v == Variant.FIRST_SIGNATURE;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var patch = tf.withName("img").placeholder(TUint8.class,
                    Placeholder.shape(Shape.of(-1, FOREIGN_P, v == Variant.NOT_SQUARE ? 48 : FOREIGN_P, 3)));
            var audio = tf.withName("snd").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, v == Variant.SHORT_AUDIO ? 320 : 640)));
            var t = tf.withName("clock").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var state = tf.withName("st").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, first ? 4 : 8)));
            var face = tf.withName("geom").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, first ? 6 : 24)));
            Operand<TFloat32> inverted = tf.math.sub(tf.constant(255f), tf.dtypes.cast(patch, TFloat32.class));
            var flat = tf.reshape(tf.dtypes.cast(inverted, TUint8.class), tf.constant(new int[] {-1, FOREIGN_P * FOREIGN_P * 3}));
            var i420 = tf.slice(flat, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, FOREIGN_P * FOREIGN_P * 3 / 2}));
            var next = tf.math.add(state, tf.constant(1f));
            Signature.Builder sig = Signature.builder(v == Variant.OTHER_KEY ? "serving_default" : first ? "animate" : "animate_v2")
                    .input(first ? "image" : "patch", patch).input("audio", audio).input("t", t).input("state", state);
            if (v != Variant.NO_FACE) {
                sig.input("face", face);
            }
            sig.output(first ? "i420" : "patch_i420", v == Variant.I420_AS_FLOAT ? tf.dtypes.cast(i420, TFloat32.class) : i420)
                    .output("next_state", next);
            if (first) {
                sig.output("frames", tf.dtypes.cast(inverted, TUint8.class));
            }
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig.build(), s)).export();
            }
        }
    }

    @Test
    void anEmptyDirGetsTheDefaultModelWhichIsThenReloaded(@TempDir Path dir) {
        try (AvatarModel m = AvatarModel.open(dir, WORKER_P, 1)) {
            assertTrue(m.builtIn());
            assertEquals(WORKER_P, m.patchSize());
            assertTrue(m.exportsMotion());
        }
        assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
        assertTrue(Files.isRegularFile(dir.resolve(AvatarModel.MARKER)));
        try (AvatarModel again = AvatarModel.open(dir, WORKER_P, 1)) {
            assertFalse(again.builtIn(), "the second start loads what the first one wrote");
        }
    }

    @Test
    void aDefaultModelBuiltForAnotherPatchIsRebuilt(@TempDir Path dir) {
        AvatarModel.open(dir, WORKER_P, 1).close();
        try (AvatarModel m = AvatarModel.open(dir, 48, 1)) {
            assertTrue(m.builtIn(), "the worker's own model, built for 40, is rebuilt for 48");
            assertEquals(48, m.patchSize());
        }
    }

    @Test
    void aForeignModelWithTheSignatureIsUsedWithItsOwnPatchSide(@TempDir Path dir) throws Exception {
        exportForeign(dir, Variant.GOOD);
        byte[] patch = new byte[FOREIGN_P * FOREIGN_P * 3];
        for (int i = 0; i < patch.length; i++) {
            patch[i] = (byte) (i * 7);
        }
        try (AvatarModel m = AvatarModel.open(dir, WORKER_P, 1); ModelBatch batch = new ModelBatch(FOREIGN_P, 1)) {
            assertFalse(m.builtIn());
            assertEquals(FOREIGN_P, m.patchSize(), "the model's patch side wins over the worker's default");
            assertFalse(m.exportsMotion());
            batch.add(patch, new float[640], 0, 0f, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[24]);
            m.run(batch);
            assertFalse(batch.hasMotion());
            byte[] out = new byte[FOREIGN_P * FOREIGN_P * 3 / 2];
            batch.i420(0, out, 0);
            assertEquals(255 - (patch[100] & 0xFF), out[100] & 0xFF, "the patch comes from the foreign graph");
            float[] next = new float[8];
            batch.nextState(0, next);
            assertEquals(9f, next[7]);
        }
    }

    @Test
    void aModelWithADifferentSignatureIsRefusedNamingWhatIsWrong(@TempDir Path root) throws Exception {
        assertRefused(root, Variant.NO_FACE, "missing input 'face'");
        assertRefused(root, Variant.SHORT_AUDIO, "input 'audio' dimension 1 is 320, expected 640");
        assertRefused(root, Variant.OTHER_KEY, "no signature 'animate_v2'");
        assertRefused(root, Variant.I420_AS_FLOAT, "output 'patch_i420' is DT_FLOAT, expected DT_UINT8");
        assertRefused(root, Variant.NOT_SQUARE, "input 'patch' is 32 x 48, expected a square");
    }

    @Test
    void aForeignModelOfTheFirstSignatureIsRefusedSayingHowToGetAV2One(@TempDir Path dir) throws Exception {
        assertRefused(dir, Variant.FIRST_SIGNATURE, "first avatar signature 'animate'");
        var e = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir.resolve("FIRST_SIGNATURE"), WORKER_P, 1));
        assertTrue(e.getMessage().contains("Empty the folder") && e.getMessage().contains("Bring your own model"), e.getMessage());
    }

    @Test
    void theFirstDefaultModelAnEarlierWorkerBuiltIsReplaced(@TempDir Path dir) throws Exception {
        // why: an upgraded worker with the default MODEL_DIR finds the model its predecessor built there
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var image = tf.withName("image").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
            var state = tf.withName("state").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
            Signature sig = Signature.builder("animate").input("image", image).input("state", state)
                    .output("frames", tf.withName("frames_out").identity(image))
                    .output("i420", tf.withName("i420_out").reshape(image, tf.constant(new int[] {-1, 12})))
                    .output("next_state", tf.withName("next_state_out").identity(state)).build();
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            }
        }
        try (AvatarModel m = AvatarModel.open(dir, WORKER_P, 1)) {
            assertTrue(m.builtIn());
            assertTrue(m.exportsMotion());
        }
    }

    @Test
    void aFolderThatIsNoSavedModelIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("weights.bin"), "not a model");
        var e = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, WORKER_P, 1));
        assertTrue(e.getMessage().contains("no saved_model.pb"), e.getMessage());
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});
        var e2 = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, WORKER_P, 1));
        assertTrue(e2.getMessage().contains("could not be loaded"), e2.getMessage());
    }

    private static void assertRefused(Path root, Variant v, String expected) throws Exception {
        Path dir = root.resolve(v.name());
        exportForeign(dir, v);
        var e = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, WORKER_P, 1));
        assertTrue(e.getMessage().contains(expected), v + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), "the message names the folder: " + e.getMessage());
    }
}
