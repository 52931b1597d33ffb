package dev.avatarfleet.worker.render.http;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.BatchInput;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.BatchOutput;
import dev.avatarfleet.worker.render.model.Downsampler;
import dev.avatarfleet.worker.render.model.ImageBatch;
import dev.avatarfleet.worker.render.model.ModelSignature;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.types.TUint8;

/**
 * Renders one avatar talking (the {@link SyntheticSpeech} signal) for a few ticks, as one session of
 * the model would: what {@code /test-frame} and the docs strip show.
 */
public final class TestFrames {

    private TestFrames() {
    }

    /** RGB frames of ticks 0..count-1. */
    public static List<byte[]> talking(BatchModel model, PreparedImage avatar, int count) {
        List<byte[]> frames = new ArrayList<>(count);
        short[] pcm = new short[AudioFeed.SAMPLES_PER_TICK];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        float[] state = new float[ModelSignature.STATE_SIZE];
        try (TUint8 img = ImageBatch.of(avatar.width(), avatar.height(), List.of(avatar.rgb()))) {
            for (int k = 0; k < count; k++) {
                SyntheticSpeech.fill(k, pcm);
                Downsampler.to16k(pcm, a16, 0);
                BatchInput in = BatchInput.allocate(1);
                in.set(0, a16, k * (RenderClock.TICK_NANOS / 1e9f), state, avatar.face().toArray());
                BatchOutput out = model.run(img, in, true);
                state = out.stateOf(0);
                frames.add(out.rgb()[0]);
            }
        }
        return frames;
    }
}
