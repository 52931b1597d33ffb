package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading tfjs weights manifests and shards: the real models from the worker jar, every stored format, and refusals. */
class TfjsWeightsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheDetectorFromTheJarWithEveryWeightAtItsOffset() {
        TfjsWeights w = TfjsWeights.read(WeightFiles.classpath(), "ssd_mobilenetv1_model");
        assertEquals(151, w.names().size());
        assertEquals(5_616_957, w.bytes(), "the shard's size");
        // why: these sit in the middle of the shard, so they read right only if every weight before them was sized right
        assertArrayEquals(new float[] {512, 512}, w.floats("Preprocessor/ResizeImage/size", 2));
        assertArrayEquals(new float[] {5118}, w.floats("Postprocessor/stack/1"));
        float[] anchors = w.floats("Output/extra_dim", 1, 5118, 4);
        assertArrayEquals(new float[] {-0.034375f, -0.034375f, 0.065625f, 0.065625f}, Arrays.copyOf(anchors, 4), 1e-6f);
        assertArrayEquals(new long[] {3, 3, 3, 32}, w.shape("MobilenetV1/Conv2d_0_pointwise/weights"));
    }

    @Test
    void readsTheLandmarkNetFromTheJar() {
        TfjsWeights w = TfjsWeights.read(WeightFiles.classpath(), "face_landmark_68_model");
        assertEquals(49, w.names().size());
        assertEquals(356_840, w.bytes());
        float[] bias = w.floats("fc/bias", 136);
        // uint8 quantized: min 0.0768..., scale 0.0025...: every value lies on that grid within [min, min + 255 scale]
        for (float b : bias) {
            assertTrue(b >= 0.0768f && b <= 0.0768f + 255 * 0.002509f, "fc/bias value " + b);
        }
    }

    @Test
    void decodesEveryStoredFormat() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1.5f).putFloat(-2f);                                  // f32 [2]
        b.putInt(7).putInt(-3);                                           // i32 [2]
        b.put((byte) 0).put((byte) 2).put((byte) 255);                    // uint8 [3], scale 0.5, min -1
        b.putShort((short) 1000);                                        // uint16 [1], scale 0.01, min 0
        b.putShort(Float.floatToFloat16(0.25f)).putShort(Float.floatToFloat16(-8f)); // float16 [2]
        b.put((byte) 3);                                                  // int32 stored as uint8, scale 1, min 509
        byte[] shard = Arrays.copyOf(b.array(), b.position());
        Files.write(dir.resolve("m.bin"), shard);
        Files.writeString(dir.resolve("m-weights_manifest.json"), """
                [{"paths": ["m.bin"], "weights": [
                  {"name": "f", "shape": [2], "dtype": "float32"},
                  {"name": "i", "shape": [2], "dtype": "int32"},
                  {"name": "q8", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}},
                  {"name": "q16", "shape": [1, 1], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.01, "min": 0}},
                  {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
                  {"name": "n", "shape": [], "dtype": "int32", "quantization": {"dtype": "uint8", "scale": 1, "min": 509}}
                ]}]""");
        TfjsWeights w = TfjsWeights.read(WeightFiles.directory(dir), "m");
        assertArrayEquals(new float[] {1.5f, -2f}, w.floats("f", 2));
        assertArrayEquals(new float[] {7, -3}, w.floats("i", 2));
        assertArrayEquals(new float[] {-1f, 0f, 126.5f}, w.floats("q8", 3));
        assertArrayEquals(new float[] {10f}, w.floats("q16", 1, 1), 1e-5f);
        assertArrayEquals(new float[] {0.25f, -8f}, w.floats("h", 2));
        assertArrayEquals(new float[] {512}, w.floats("n"));
        assertEquals(shard.length, w.bytes());
    }

    @Test
    void aTruncatedShardIsRefusedNamingTheFileAndBothSizes() throws IOException {
        copyModel("ssd_mobilenetv1_model");
        copyModel("face_landmark_68_model");
        Path bin = dir.resolve("face_landmark_68_model.bin");
        byte[] all = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(all, all.length - 100));
        FaceModelException e = assertThrows(FaceModelException.class, () -> FaceLandmarker.load(WeightFiles.directory(dir), 1));
        assertTrue(e.getMessage().contains("face model face_landmark_68_model"), e.getMessage());
        assertTrue(e.getMessage().contains("face_landmark_68_model.bin holds 356740 bytes, its manifest needs 356840 (truncated?)"), e.getMessage());
    }

    @Test
    void anotherModelsShardIsRefused() throws IOException {
        copyModel("face_landmark_68_model");
        copyModel("ssd_mobilenetv1_model");
        Files.copy(dir.resolve("ssd_mobilenetv1_model.bin"), dir.resolve("face_landmark_68_model.bin"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FaceModelException e = assertThrows(FaceModelException.class, () -> FaceLandmarker.load(WeightFiles.directory(dir), 1));
        assertTrue(e.getMessage().contains("holds 5616957 bytes, its manifest needs 356840 (not this manifest's weights?)"), e.getMessage());
    }

    @Test
    void aWeightOfTheWrongShapeIsRefusedWhenTheNetworkIsBuilt() throws IOException {
        copyModel("ssd_mobilenetv1_model");
        copyModel("face_landmark_68_model");
        Path manifest = dir.resolve("face_landmark_68_model-weights_manifest.json");
        // same byte count, other shape: the shard's size agrees, the network does not
        String json = Files.readString(manifest);
        String changed = json.replaceFirst("\"fc/weights\",\\s*\"shape\":\\s*\\[\\s*256,\\s*136\\s*]", "\"fc/weights\", \"shape\": [136, 256]");
        assertTrue(!changed.equals(json), "the manifest names fc/weights [256, 136]");
        Files.writeString(manifest, changed);
        FaceModelException e = assertThrows(FaceModelException.class, () -> FaceLandmarker.load(WeightFiles.directory(dir), 1));
        assertEquals("face model face_landmark_68_model: weight 'fc/weights' has shape [136, 256], the network needs [256, 136]", e.getMessage());
    }

    @Test
    void aMissingWeightOrFileIsNamed() throws IOException {
        Files.writeString(dir.resolve("m-weights_manifest.json"), "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1], \"dtype\": \"float32\"}]}]");
        FaceModelException missingFile = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "m"));
        assertTrue(missingFile.getMessage().endsWith("m.bin is missing"), missingFile.getMessage());
        Files.write(dir.resolve("m.bin"), new byte[4]);
        TfjsWeights w = TfjsWeights.read(WeightFiles.directory(dir), "m");
        FaceModelException missingWeight = assertThrows(FaceModelException.class, () -> w.floats("b", 1));
        assertTrue(missingWeight.getMessage().contains("has no weight 'b'"), missingWeight.getMessage());
        FaceModelException noManifest = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "other"));
        assertTrue(noManifest.getMessage().contains("other-weights_manifest.json is missing"), noManifest.getMessage());
    }

    @Test
    void aManifestCannotReachOutsideItsFolderOrAskForTooMuch() throws IOException {
        Files.writeString(dir.resolve("m-weights_manifest.json"), "[{\"paths\": [\"../m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1], \"dtype\": \"float32\"}]}]");
        FaceModelException e = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "m"));
        assertTrue(e.getMessage().contains("not a plain file name: ../m.bin"), e.getMessage());
        Files.writeString(dir.resolve("m-weights_manifest.json"), "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [100000, 100000], \"dtype\": \"float32\"}]}]");
        FaceModelException big = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "m"));
        assertTrue(big.getMessage().contains("is larger than"), big.getMessage());
        Files.writeString(dir.resolve("m-weights_manifest.json"), "{not json");
        FaceModelException bad = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "m"));
        assertTrue(bad.getMessage().contains("m-weights_manifest.json is not JSON"), bad.getMessage());
        Files.writeString(dir.resolve("m-weights_manifest.json"), "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1], \"dtype\": \"string\"}]}]");
        FaceModelException dtype = assertThrows(FaceModelException.class, () -> TfjsWeights.read(WeightFiles.directory(dir), "m"));
        assertTrue(dtype.getMessage().contains("has dtype 'string'"), dtype.getMessage());
    }

    private void copyModel(String model) throws IOException {
        for (String f : new String[] {model + "-weights_manifest.json", model + ".bin"}) {
            try (InputStream in = WeightFiles.classpath().open(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
    }
}
