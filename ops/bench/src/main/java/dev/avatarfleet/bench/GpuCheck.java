package dev.avatarfleet.bench;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.ModelBenchmark;
import java.nio.file.Files;

/**
 * ops/gpu-check/run: loads the default model, says which device runs it, and prints the /benchmark
 * figures for {@code SIZE BATCH ITERATIONS}. Exits 3 when no GPU is visible to TensorFlow.
 */
public final class GpuCheck {

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        try (AvatarModel model = AvatarModel.open(Files.createTempDirectory("gpu-model"), dev.avatarfleet.worker.render.avatar.PatchRegion.defaultSize(size, size), 0)) {
            PreparedImage avatar = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, size, size, 2).prepare(null);
            ModelBenchmark.Result r = ModelBenchmark.run(model, avatar, batch, iterations);
            System.out.println("model runs on " + model.device().description());
            System.out.println(r);
            if (!model.device().gpu()) {
                System.out.println("gpu-check: TensorFlow sees no GPU (CPU fallback); check the CUDA 12 / cuDNN 9 libraries");
                System.exit(3);
            }
        }
    }
}
