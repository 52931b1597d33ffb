package dev.avatarfleet.worker.render.model;

import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TUint8;

/** The model's {@code image} input: one RGB avatar per session of the batch, as a [B, H, W, 3] uint8 tensor. */
public final class ImageBatch {

    private ImageBatch() {
    }

    /**
     * Copies the images into a new native tensor; the caller closes it.
     *
     * @param rgb one H x W x 3 RGB image per session, in batch order
     */
    public static TUint8 of(int width, int height, List<byte[]> rgb) {
        long per = (long) width * height * 3;
        TUint8 t = TUint8.tensorOf(Shape.of(rgb.size(), height, width, 3));
        for (int i = 0; i < rgb.size(); i++) {
            if (rgb.get(i).length != per) {
                t.close();
                throw new IllegalArgumentException("image " + i + " is not " + width + "x" + height + " RGB");
            }
            t.asRawTensor().data().slice(i * per, per).write(rgb.get(i));
        }
        return t;
    }
}
