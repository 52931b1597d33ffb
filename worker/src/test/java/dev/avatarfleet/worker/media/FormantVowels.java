package dev.avatarfleet.worker.media;

/**
 * Sustained vowels for tests, formant-synthesised at 48 kHz: the harmonics of a voice at {@code f0} (a glottal source
 * falling 12 dB per octave) shaped by three formant resonances (each a two-pole resonator's magnitude response), the
 * way a cascade formant synthesiser voices a vowel. Deterministic: tick n always gives the same samples.
 */
public final class FormantVowels {

    /** A vowel's first three formants and their bandwidths, in Hz (adult male averages, Peterson and Barney). */
    public record Vowel(String name, double f1, double f2, double f3) {
    }

    public static final Vowel A = new Vowel("a", 730, 1090, 2440);
    public static final Vowel I = new Vowel("i", 270, 2290, 3010);
    public static final Vowel U = new Vowel("u", 300, 870, 2240);
    public static final Vowel E = new Vowel("e", 530, 1840, 2480);
    public static final Vowel O = new Vowel("o", 570, 840, 2410);

    private static final double[] BANDWIDTHS = {80, 100, 120};

    private FormantVowels() {
    }

    /** Tick {@code n} (40 ms at 48 kHz) of the vowel at pitch {@code f0}, at about -16 dBFS RMS. */
    public static short[] tick(Vowel v, double f0, long n) {
        short[] out = new short[AudioFeed.SAMPLES_PER_TICK];
        int harmonics = (int) (7000 / f0);
        double[] gain = new double[harmonics + 1];
        double power = 0;
        for (int h = 1; h <= harmonics; h++) {
            double f = h * f0;
            gain[h] = resonance(f, v.f1(), BANDWIDTHS[0]) * resonance(f, v.f2(), BANDWIDTHS[1]) * resonance(f, v.f3(), BANDWIDTHS[2])
                    / (h * (double) h) * h; // why: -12 dB/oct source, +6 dB/oct lip radiation
            power += gain[h] * gain[h] / 2;
        }
        double scale = 0.16 / Math.sqrt(power) * 32767;
        for (int i = 0; i < out.length; i++) {
            double t = (n * out.length + i) / (double) AudioFeed.SAMPLE_RATE;
            double s = 0;
            for (int h = 1; h <= harmonics; h++) {
                s += gain[h] * Math.sin(2 * Math.PI * h * f0 * t);
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(s * scale)));
        }
        return out;
    }

    /** |H(f)| of a two-pole resonator at {@code centre} with {@code bandwidth}, 1 at 0 Hz. */
    static double resonance(double f, double centre, double bandwidth) {
        double r = f / centre;
        double q = f * bandwidth / (centre * centre);
        return 1 / Math.sqrt((1 - r * r) * (1 - r * r) + q * q);
    }
}
