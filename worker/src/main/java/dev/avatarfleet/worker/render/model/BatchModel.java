package dev.avatarfleet.worker.render.model;

/** Runs the avatar model on one batch; {@link AvatarModel} is the implementation. */
public interface BatchModel {

    /** Runs the batch's rows and writes their results into it ({@link AvatarModel#run}). */
    void run(ModelBatch batch);

    /** P: the side of the head region the model renders. */
    int patchSize();

    /** Whether the model exports its motion, so the caller synthesises the patch with {@link NativeSynthesis}. */
    boolean exportsMotion();
}
