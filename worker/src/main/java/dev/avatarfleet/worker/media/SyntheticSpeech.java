package dev.avatarfleet.worker.media;

/**
 * A speech-like test signal for /test-frame, /benchmark and tests: voiced syllables (a 130 Hz glottal
 * buzz through two vowel formants) about four per second, with short pauses, at conversational level.
 * Deterministic: the same tick always gives the same samples; the signal repeats every 5 s.
 */
public final class SyntheticSpeech implements AudioFeed {

    private static final double[][] VOWELS = {{730, 1090}, {270, 2290}, {530, 1840}, {570, 840}, {440, 1020}};
    private long tick;

    @Override
    public boolean next(short[] out) {
        fill(tick++, out);
        return true;
    }

    /** Ticks in one loop of the signal: 5 s = 20 syllables, silent at both ends, so it repeats without a click. */
    static final int LOOP_TICKS = 125;

    // why: synthesising ~40 harmonics costs milliseconds per tick; precomputed once, a tick is an array copy,
    // so benchmarks measure the renderer and not this generator
    private static final short[] LOOP = synthesise(LOOP_TICKS * SAMPLES_PER_TICK);

    /** Fills {@code out} with tick {@code n}'s 40 ms. */
    public static void fill(long n, short[] out) {
        System.arraycopy(LOOP, (int) Math.floorMod(n, (long) LOOP_TICKS) * SAMPLES_PER_TICK, out, 0, SAMPLES_PER_TICK);
    }

    private static short[] synthesise(int samples) {
        short[] out = new short[samples];
        long start = 0;
        for (int i = 0; i < out.length; i++) {
            double t = (start + i) / (double) SAMPLE_RATE;
            double syllable = t * 4.0;
            int k = (int) Math.floor(syllable);
            double within = syllable - k;
            // why: each syllable rises and falls; the last fifth is a pause, so the mouth must close between them
            double envelope = within < 0.8 ? Math.sin(Math.PI * within / 0.8) : 0.0;
            double[] f = VOWELS[Math.floorMod(k * 7 + 3, VOWELS.length)];
            double sample = 0;
            for (int h = 1; h * 130 < 5000; h++) {
                double freq = h * 130.0;
                double gain = formant(freq, f[0]) + 0.6 * formant(freq, f[1]);
                sample += gain / h * Math.sin(2 * Math.PI * freq * t);
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(sample * envelope * 9000)));
        }
        return out;
    }

    private static double formant(double freq, double centre) {
        double d = (freq - centre) / 120.0;
        return Math.exp(-d * d);
    }
}
