package dev.avatarfleet.worker.render.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Which device TensorFlow runs the model on.
 *
 * @param gpu  whether a GPU is visible to TensorFlow (the model's ops are then placed on GPU:0)
 * @param name the GPU's model name (from the NVIDIA driver) or "cpu"
 */
public record ComputeDevice(boolean gpu, String name) {

    /** "GPU:0 (NVIDIA H100 ...)" or "CPU". */
    public String description() {
        return gpu ? "GPU:0 (" + name + ")" : "CPU";
    }

    /**
     * Asks TensorFlow: an op pinned to GPU:0 without soft placement runs only when a GPU is there
     * (TensorFlow Java has no public list-devices call).
     */
    static ComputeDevice detect() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            tf.withName("probe").math.add(tf.constant(1f), tf.constant(2f));
            try (Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).build());
                 var r = s.runner().fetch("probe").run()) {
                float v = ((TFloat32) r.get(0)).getFloat();
                return v == 3f ? new ComputeDevice(true, gpuName()) : new ComputeDevice(false, "cpu");
            }
        } catch (RuntimeException e) {
            return new ComputeDevice(false, "cpu");
        }
    }

    private static String gpuName() {
        Path gpus = Path.of("/proc/driver/nvidia/gpus");
        try (Stream<Path> s = Files.list(gpus)) {
            for (Path p : s.sorted().toList()) {
                for (String line : Files.readAllLines(p.resolve("information"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("Model:")) {
                        return line.substring(6).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // why: the name is cosmetic; the device itself was proven by the probe
        }
        return "NVIDIA GPU";
    }

    /**
     * GPU memory this process holds, in GB, from nvidia-smi (bounded to 3 s); 0 on the CPU or when unknown.
     */
    public double vramGb() {
        if (!gpu) {
            return 0.0;
        }
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0.0;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long pid = ProcessHandle.current().pid();
            for (String line : out.split("\n")) {
                String[] f = line.split(",");
                if (f.length == 2 && f[0].trim().equals(Long.toString(pid))) {
                    return Double.parseDouble(f[1].trim()) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0.0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0.0;
    }
}
