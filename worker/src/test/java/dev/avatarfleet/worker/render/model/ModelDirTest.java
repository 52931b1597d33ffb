package dev.avatarfleet.worker.render.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.render.avatar.PreparedImage;
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

/** MODEL_DIR: empty gets the default model, a foreign model with the signature is used, anything else is refused. */
class ModelDirTest {

    private static final int W = 64;
    private static final int H = 64;

    /** What a foreign model may differ in, to build wrong ones. */
    private enum Variant { GOOD, NO_FACE, SHORT_AUDIO, OTHER_KEY, FRAMES_AS_FLOAT }

    /** A foreign model: frames = the inverted avatar, i420 = the first H*W*3/2 inverted bytes, state + 1. */
    private static void exportForeign(Path dir, Variant v) throws Exception {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var image = tf.withName("img").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
            var audio = tf.withName("snd").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, v == Variant.SHORT_AUDIO ? 320 : 640)));
            var t = tf.withName("clock").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var state = tf.withName("st").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
            var face = tf.withName("geom").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6)));
            Operand<TFloat32> inverted = tf.math.sub(tf.constant(255f), tf.dtypes.cast(image, TFloat32.class));
            Operand<TUint8> frames = tf.dtypes.cast(inverted, TUint8.class);
            var flat = tf.reshape(frames, tf.constant(new int[] {-1, W * H * 3}));
            var i420 = tf.slice(flat, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, W * H * 3 / 2}));
            var next = tf.math.add(state, tf.constant(1f));
            Signature.Builder sig = Signature.builder(v == Variant.OTHER_KEY ? "serving_default" : "animate")
                    .input("image", image).input("audio", audio).input("t", t).input("state", state);
            if (v != Variant.NO_FACE) {
                sig.input("face", face);
            }
            sig.output("frames", v == Variant.FRAMES_AS_FLOAT ? inverted : frames).output("i420", i420).output("next_state", next);
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig.build(), s)).export();
            }
        }
    }

    @Test
    void anEmptyDirGetsTheDefaultModelWhichIsThenReloaded(@TempDir Path dir) {
        try (AvatarModel m = AvatarModel.open(dir, 1)) {
            assertTrue(m.builtIn());
        }
        assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
        try (AvatarModel again = AvatarModel.open(dir, 1)) {
            assertFalse(again.builtIn(), "the second start loads what the first one wrote");
        }
    }

    @Test
    void aForeignModelWithTheSignatureIsUsed(@TempDir Path dir) throws Exception {
        exportForeign(dir, Variant.GOOD);
        PreparedImage avatar = ModelFixture.defaultAvatar(W, H);
        try (AvatarModel m = AvatarModel.open(dir, 1); var img = ModelFixture.images(avatar)) {
            assertFalse(m.builtIn());
            BatchInput in = BatchInput.allocate(1);
            in.set(0, new float[640], 0f, new float[] {1, 2, 3, 4}, avatar.face().toArray());
            BatchOutput out = m.run(img, in, true);
            assertEquals(255 - (avatar.rgb()[100] & 0xFF), out.rgb()[0][100] & 0xFF, "frames come from the foreign graph");
            assertEquals(W * H * 3 / 2, out.i420()[0].length);
            assertEquals(5f, out.stateOf(0)[3]);
        }
    }

    @Test
    void aModelWithADifferentSignatureIsRefusedNamingWhatIsWrong(@TempDir Path root) throws Exception {
        assertRefused(root, Variant.NO_FACE, "missing input 'face'");
        assertRefused(root, Variant.SHORT_AUDIO, "input 'audio' dimension 1 is 320, expected 640");
        assertRefused(root, Variant.OTHER_KEY, "no signature 'animate'");
        assertRefused(root, Variant.FRAMES_AS_FLOAT, "output 'frames' is DT_FLOAT, expected DT_UINT8");
    }

    @Test
    void aFolderThatIsNoSavedModelIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("weights.bin"), "not a model");
        var e = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, 1));
        assertTrue(e.getMessage().contains("no saved_model.pb"), e.getMessage());
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});
        var e2 = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, 1));
        assertTrue(e2.getMessage().contains("could not be loaded"), e2.getMessage());
    }

    private static void assertRefused(Path root, Variant v, String expected) throws Exception {
        Path dir = root.resolve(v.name());
        exportForeign(dir, v);
        var e = assertThrows(ModelSignatureException.class, () -> AvatarModel.open(dir, 1));
        assertTrue(e.getMessage().contains(expected), v + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), "the message names the folder: " + e.getMessage());
    }
}
