package dev.avatarfleet.worker.session.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The polyphase low-pass filter of a rate conversion {@code inRate -> outRate}: a Kaiser-windowed sinc cut off just
 * below the lower of the two Nyquist frequencies, tabulated at every output phase (exactly for the usual rates, at
 * {@link #MAX_PHASES} steps of a sample for odd ones). Immutable; shared by every stream of the same rates.
 *
 * <p>why: band-limited interpolation (the textbook method, e.g. J. O. Smith, "Digital Audio Resampling Home Page";
 * libsamplerate and soxr work the same way) instead of linear interpolation, whose images of speech harmonics land in
 * the audible band (44.1 -> 48 kHz: a 10 kHz tone leaves an image at 34.1 kHz that folds back to 13.9 kHz).
 */
final class SincFilterBank {

    /** Zero crossings of the sinc on each side, at the lower rate: 64 taps when upsampling. */
    static final int HALF_ZEROS = 32;
    /** Cutoff, as a fraction of the lower rate's Nyquist frequency (pass band to about 0.87 of it). */
    static final double CUTOFF = 0.95;
    /** Kaiser window beta: about 80 dB of stop-band attenuation. */
    static final double BETA = 8.0;
    /** Phases tabulated at most (an odd rate's position is rounded down to 1/1024 of an input sample). */
    static final int MAX_PHASES = 1024;
    private static final int MAX_CACHED = 16;
    private static final Map<Long, SincFilterBank> CACHE = new ConcurrentHashMap<>();

    /** Output n sits at input position n * step / up; its phase is (n * step) mod up. */
    final long up;
    final long step;
    final int phases;
    /** Taps per phase; tap k of output at integer input position i multiplies input sample i - half + 1 + k. */
    final int taps;
    final int half;
    private final float[] table;

    private SincFilterBank(int inRate, int outRate) {
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.step = inRate / g;
        this.phases = (int) Math.min(up, MAX_PHASES);
        // why: when downsampling the kernel is stretched, so it keeps its length in zero crossings at the output rate
        double lower = Math.min(inRate, outRate);
        this.half = (int) Math.ceil(HALF_ZEROS * inRate / lower);
        this.taps = 2 * half;
        double fc = 0.5 * CUTOFF * lower / inRate; // cycles per input sample
        this.table = new float[phases * taps];
        double i0Beta = besselI0(BETA);
        for (int p = 0; p < phases; p++) {
            double frac = p / (double) phases;
            double sum = 0;
            double[] h = new double[taps];
            for (int k = 0; k < taps; k++) {
                double d = frac + half - 1 - k;
                double x = d / half;
                double window = Math.abs(x) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - x * x)) / i0Beta;
                h[k] = 2 * fc * sinc(2 * fc * d) * window;
                sum += h[k];
            }
            for (int k = 0; k < taps; k++) {
                table[p * taps + k] = (float) (h[k] / sum); // why: unity gain at DC in every phase
            }
        }
    }

    /** The bank for these rates, shared (a few odd rates are kept; more are built per stream). */
    static SincFilterBank of(int inRate, int outRate) {
        long key = ((long) inRate << 32) | outRate;
        SincFilterBank bank = CACHE.get(key);
        if (bank != null) {
            return bank;
        }
        bank = new SincFilterBank(inRate, outRate);
        if (CACHE.size() < MAX_CACHED) {
            CACHE.putIfAbsent(key, bank);
        }
        return bank;
    }

    /** Table row of the phase {@code (n * step) mod up}. */
    int phaseOffset(long remainder) {
        int p = up <= MAX_PHASES ? (int) remainder : (int) (remainder * phases / up);
        return p * taps;
    }

    /** Filters {@code taps} samples of {@code x} from {@code from} with the row at {@code offset}. */
    double apply(short[] x, int from, int offset) {
        double acc = 0;
        for (int k = 0; k < taps; k++) {
            acc += x[from + k] * table[offset + k];
        }
        return acc;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta <= 20). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
