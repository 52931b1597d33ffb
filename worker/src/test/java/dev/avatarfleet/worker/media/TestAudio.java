package dev.avatarfleet.worker.media;

/** Audio for tests: a sustained loud vowel, silence, and quiet room noise, as 48 kHz ticks. */
public final class TestAudio {

    private TestAudio() {
    }

    /** An "ah" (formants 730 / 1090 Hz on a 120 Hz voice) at about -14 dBFS RMS. */
    public static short[] vowel(long tick) {
        short[] out = new short[AudioFeed.SAMPLES_PER_TICK];
        for (int i = 0; i < out.length; i++) {
            double t = (tick * out.length + i) / (double) AudioFeed.SAMPLE_RATE;
            double s = 0;
            for (int h = 1; h * 120 < 5000; h++) {
                double f = h * 120.0;
                double g = Math.exp(-Math.pow((f - 730) / 120, 2)) + 0.6 * Math.exp(-Math.pow((f - 1090) / 120, 2));
                s += g / h * Math.sin(2 * Math.PI * f * t);
            }
            out[i] = (short) Math.round(s * 9000);
        }
        return out;
    }

    public static short[] silence() {
        return new short[AudioFeed.SAMPLES_PER_TICK];
    }

    /** A feed that plays the given generator. */
    public static AudioFeed feed(java.util.function.LongFunction<short[]> gen) {
        return new AudioFeed() {
            long n;

            @Override
            public boolean next(short[] out) {
                short[] s = gen.apply(n++);
                System.arraycopy(s, 0, out, 0, out.length);
                for (short v : s) {
                    if (v != 0) {
                        return true;
                    }
                }
                return false;
            }
        };
    }
}
