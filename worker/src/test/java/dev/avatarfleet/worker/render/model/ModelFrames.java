package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.http.TestFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders one session of an avatar tick by tick through the loaded model as the render loop does (one model row, the
 * native synthesis when the model exports its motion, the patch composed into the prepared I420 frame), with the
 * audio and clock a test chooses; frames come back as RGB. Not thread-safe.
 */
public final class ModelFrames implements AutoCloseable {

    private final AvatarModel model;
    private final ModelBatch batch;
    private final NativeSynthesis synthesis;

    public ModelFrames(AvatarModel model) {
        this.model = model;
        this.batch = new ModelBatch(model.patchSize(), 1);
        this.synthesis = model.exportsMotion() ? new NativeSynthesis(model.patchSize()) : null;
    }

    /**
     * @param audio48k one 40 ms tick of 48 kHz audio per frame
     * @param clock    each frame's session clock, seconds
     * @return RGB frames of the avatar's size
     */
    public List<byte[]> render(PreparedImage avatar, List<short[]> audio48k, float[] clock) {
        List<byte[]> out = new ArrayList<>();
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        float[] state = new float[ModelSignature.V2_STATE_SIZE];
        int p = model.patchSize();
        byte[] patch = new byte[p * p * 3 / 2];
        for (int k = 0; k < audio48k.size(); k++) {
            Downsampler.to16k(audio48k.get(k), a16, 0);
            batch.clear();
            batch.add(avatar.patchRgb(), a16, 0, clock[k], state, avatar.faceVector());
            model.run(batch);
            batch.nextState(0, state);
            if (batch.hasMotion()) {
                synthesis.render(batch, 0, patch, 0);
            } else {
                batch.i420(0, patch, 0);
            }
            byte[] frame = avatar.i420().clone();
            compose(patch, avatar.patch(), frame, avatar.width(), avatar.height());
            out.add(TestFrames.rgb(frame, avatar.width(), avatar.height()));
        }
        return out;
    }

    /** The patch's I420 planes written over the frame's at the patch's place (as the render loop composes). */
    static void compose(byte[] patchI420, PatchRegion at, byte[] frame, int width, int height) {
        int p = at.size();
        for (int r = 0; r < p; r++) {
            System.arraycopy(patchI420, r * p, frame, (at.y() + r) * width + at.x(), p);
        }
        int cp = p / 2;
        int cw = width / 2;
        for (int r = 0; r < cp; r++) {
            System.arraycopy(patchI420, p * p + r * cp, frame, width * height + (at.y() / 2 + r) * cw + at.x() / 2, cp);
            System.arraycopy(patchI420, p * p + cp * cp + r * cp, frame, width * height + cw * (height / 2) + (at.y() / 2 + r) * cw + at.x() / 2, cp);
        }
    }

    @Override
    public void close() {
        batch.close();
        if (synthesis != null) {
            synthesis.close();
        }
    }
}
