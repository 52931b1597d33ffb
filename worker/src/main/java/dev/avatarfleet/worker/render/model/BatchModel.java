package dev.avatarfleet.worker.render.model;

import org.tensorflow.types.TUint8;

/** Runs the avatar model on one batch; {@link AvatarModel} is the implementation. */
@FunctionalInterface
public interface BatchModel {
    BatchOutput run(TUint8 images, BatchInput input, boolean withRgb);
}
