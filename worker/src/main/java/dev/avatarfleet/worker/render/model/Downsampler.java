package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.worker.media.AudioFeed;

/**
 * 48 kHz int16 to the model's 16 kHz float: each output sample is the mean of three input samples
 * (a box low-pass, enough for loudness and a 6 kHz filterbank), scaled to [-1, 1].
 */
public final class Downsampler {

    private static final int FACTOR = AudioFeed.SAMPLE_RATE / ModelSignature.AUDIO_RATE;

    private Downsampler() {
    }

    public static void to16k(short[] in48k, float[] out, int offset) {
        for (int i = 0; i < ModelSignature.AUDIO_SAMPLES; i++) {
            int j = i * FACTOR;
            out[offset + i] = (in48k[j] + in48k[j + 1] + in48k[j + 2]) / (3f * 32768f);
        }
    }
}
