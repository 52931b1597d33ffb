package dev.avatarfleet.worker.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of one TensorFlow.js model: its {@code <model>-weights_manifest.json} (groups of weights, each
 * group stored as one or more shard files read back to back) and the shards, decoded to floats.
 *
 * <p>Each weight entry has a name, a shape and a dtype ({@code float32} or {@code int32}), and optionally a
 * {@code quantization}: {@code uint8} or {@code uint16} with {@code scale} and {@code min} (value = q x scale
 * + min), or {@code float16}. The shards of a group must hold exactly the bytes its entries ask for; a short
 * (truncated) or long (another model's) shard is refused with a {@link FaceModelException} naming the file.
 */
public final class TfjsWeights {

    /** Largest manifest read: the biggest of face-api's is 28 KB. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;
    /** Largest model read, all shards together: face-api's SSD detector is 5.4 MiB. */
    static final long MAX_MODEL_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded weight. */
    record Weight(long[] shape, float[] values) {
    }

    private final String model;
    private final Map<String, Weight> weights;
    private final long bytes;

    private TfjsWeights(String model, Map<String, Weight> weights, long bytes) {
        this.model = model;
        this.weights = Collections.unmodifiableMap(weights);
        this.bytes = bytes;
    }

    /**
     * Reads {@code model + "-weights_manifest.json"} and its shards.
     *
     * @throws FaceModelException when a file is missing, unreadable, malformed, or its size disagrees with the manifest
     */
    public static TfjsWeights read(WeightFiles files, String model) {
        String manifestName = model + "-weights_manifest.json";
        byte[] manifestBytes = readBounded(files, model, manifestName, MAX_MANIFEST_BYTES);
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new FaceModelException(where(files, model) + manifestName + " is not JSON: " + e.getMessage(), e);
        }
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw new FaceModelException(where(files, model) + manifestName + " is not a weights manifest (a JSON array of weight groups)");
        }
        Map<String, Weight> out = new LinkedHashMap<>();
        long total = 0;
        for (JsonNode group : manifest) {
            List<Entry> entries = entries(files, model, manifestName, group);
            long need = 0;
            for (Entry e : entries) {
                need += e.byteSize();
            }
            if (need > MAX_MODEL_BYTES - total) {
                throw new FaceModelException(where(files, model) + manifestName + " asks for more than " + MAX_MODEL_BYTES + " bytes of weights");
            }
            byte[] data = readShards(files, model, group, need);
            ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                if (out.put(e.name(), new Weight(e.shape(), e.decode(buf))) != null) {
                    throw new FaceModelException(where(files, model) + manifestName + " names the weight '" + e.name() + "' twice");
                }
            }
            total += need;
        }
        return new TfjsWeights(model, out, total);
    }

    /** The model's name, e.g. {@code ssd_mobilenetv1_model}. */
    public String model() {
        return model;
    }

    /** Every weight's name, in manifest order. */
    public Set<String> names() {
        return weights.keySet();
    }

    /** The bytes the shards held. */
    public long bytes() {
        return bytes;
    }

    /** A weight's shape. */
    public long[] shape(String name) {
        return get(name).shape().clone();
    }

    /**
     * A weight's values (row-major, as TensorFlow lays them out), after checking it has exactly {@code shape}.
     *
     * @throws FaceModelException when the model has no such weight or its shape differs: the files are not the
     *                            network's weights
     */
    public float[] floats(String name, long... shape) {
        Weight w = get(name);
        if (!Arrays.equals(w.shape(), shape)) {
            throw new FaceModelException("face model " + model + ": weight '" + name + "' has shape " + Arrays.toString(w.shape())
                    + ", the network needs " + Arrays.toString(shape));
        }
        return w.values().clone();
    }

    private Weight get(String name) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new FaceModelException("face model " + model + ": the manifest has no weight '" + name + "' (not this network's weights?)");
        }
        return w;
    }

    // ---------------------------------------------------------------- manifest entries

    private enum Stored {
        FLOAT32(4), INT32(4), UINT8(1), UINT16(2), FLOAT16(2);

        final int bytes;

        Stored(int bytes) {
            this.bytes = bytes;
        }
    }

    private record Entry(String name, long[] shape, long count, boolean integer, Stored stored, double scale, double min) {

        long byteSize() {
            return count * stored.bytes;
        }

        float[] decode(ByteBuffer buf) {
            float[] v = new float[(int) count];
            for (int i = 0; i < v.length; i++) {
                double x = switch (stored) {
                    case FLOAT32 -> buf.getFloat();
                    case INT32 -> buf.getInt();
                    case UINT8 -> (buf.get() & 0xFF) * scale + min;
                    case UINT16 -> (buf.getShort() & 0xFFFF) * scale + min;
                    case FLOAT16 -> Float.float16ToFloat(buf.getShort());
                };
                // why: an integer weight stored quantized is rounded back to an integer, as tfjs does
                v[i] = (float) (integer && stored != Stored.INT32 ? Math.round(x) : x);
            }
            return v;
        }
    }

    private static List<Entry> entries(WeightFiles files, String model, String manifestName, JsonNode group) {
        JsonNode list = group.get("weights");
        if (list == null || !list.isArray()) {
            throw new FaceModelException(where(files, model) + manifestName + ": a group has no 'weights' list");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode w : list) {
            String name = w.path("name").asText("");
            String bad = where(files, model) + manifestName + ": weight '" + name + "' ";
            if (name.isEmpty() || !w.path("shape").isArray()) {
                throw new FaceModelException(bad + "has no name or no shape");
            }
            long[] shape = new long[w.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = w.get("shape").get(i);
                if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                    throw new FaceModelException(bad + "has a bad dimension " + d);
                }
                shape[i] = d.asLong();
                count = Math.multiplyExact(count, shape[i]);
                if (count > MAX_MODEL_BYTES) {
                    throw new FaceModelException(bad + "is larger than " + MAX_MODEL_BYTES + " values");
                }
            }
            String dtype = w.path("dtype").asText("");
            boolean integer = switch (dtype) {
                case "float32" -> false;
                case "int32" -> true;
                default -> throw new FaceModelException(bad + "has dtype '" + dtype + "': only float32 and int32 are read");
            };
            JsonNode q = w.get("quantization");
            Stored stored = integer ? Stored.INT32 : Stored.FLOAT32;
            double scale = 1;
            double min = 0;
            if (q != null && !q.isNull()) {
                String qt = q.path("dtype").asText("");
                stored = switch (qt) {
                    case "uint8" -> Stored.UINT8;
                    case "uint16" -> Stored.UINT16;
                    case "float16" -> Stored.FLOAT16;
                    default -> throw new FaceModelException(bad + "has quantization '" + qt + "': uint8, uint16 and float16 are read");
                };
                if (stored != Stored.FLOAT16) {
                    if (!q.path("scale").isNumber() || !q.path("min").isNumber()) {
                        throw new FaceModelException(bad + "is quantized to " + qt + " without a numeric scale and min");
                    }
                    scale = q.get("scale").asDouble();
                    min = q.get("min").asDouble();
                }
            }
            entries.add(new Entry(name, shape, count, integer, stored, scale, min));
        }
        return entries;
    }

    // ---------------------------------------------------------------- files

    private static byte[] readShards(WeightFiles files, String model, JsonNode group, long need) {
        JsonNode paths = group.get("paths");
        if (paths == null || !paths.isArray() || paths.isEmpty()) {
            throw new FaceModelException(where(files, model) + "a weight group names no shard files ('paths')");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream((int) Math.min(need, MAX_MODEL_BYTES));
        List<String> names = new ArrayList<>();
        for (JsonNode p : paths) {
            String name = p.asText("");
            names.add(name);
            long left = MAX_MODEL_BYTES - all.size();
            all.writeBytes(readBounded(files, model, name, (int) Math.min(Integer.MAX_VALUE - 8, left)));
        }
        if (all.size() != need) {
            throw new FaceModelException(where(files, model) + "shard " + String.join(" + ", names) + " holds " + all.size()
                    + " bytes, its manifest needs " + need + (all.size() < need ? " (truncated?)" : " (not this manifest's weights?)"));
        }
        return all.toByteArray();
    }

    private static byte[] readBounded(WeightFiles files, String model, String name, int max) {
        try (InputStream in = files.open(name)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new FaceModelException(where(files, model) + name + " is larger than " + max + " bytes");
            }
            return b;
        } catch (NoSuchFileException e) {
            throw new FaceModelException(where(files, model) + name + " is missing" + (e.getReason() == null ? "" : ": " + e.getReason()), e);
        } catch (IOException e) {
            throw new FaceModelException(where(files, model) + name + " could not be read: " + e.getMessage(), e);
        }
    }

    private static String where(WeightFiles files, String model) {
        return "face model " + model + " (" + files.describe() + "): ";
    }
}
