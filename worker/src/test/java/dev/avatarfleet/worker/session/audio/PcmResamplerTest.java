package dev.avatarfleet.worker.session.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcmResamplerTest {

    private static byte[] le16(short... samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    private static short[] all(PcmResampler r, byte[] pcm, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < pcm.length; at += chunk) {
            write(out, r.push(pcm, at, Math.min(chunk, pcm.length - at)));
        }
        write(out, r.finish());
        byte[] b = out.toByteArray();
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    private static void write(ByteArrayOutputStream out, short[] s) {
        out.writeBytes(le16(s));
    }

    @Test
    void passesThrough48kMono() {
        PcmResampler r = new PcmResampler(48_000, 1);
        short[] in = {1, -2, 300, -32768, 32767};
        assertArrayEquals(in, all(r, le16(in), 3));
    }

    @Test
    void keepsAConstantAndTheDurationAt24k() {
        short[] in = new short[2400];
        java.util.Arrays.fill(in, (short) 1000);
        short[] out = all(new PcmResampler(24_000, 1), le16(in), 500);
        assertEquals(4800, out.length);
        // why: away from the edges (where the stream meets silence) the filter's DC gain is exactly 1
        for (int i = 100; i < 4700; i++) {
            assertTrue(Math.abs(out[i] - 1000) <= 1, "sample " + i + " = " + out[i]);
        }
    }

    @Test
    void averagesStereoChannels() {
        short[] out = all(new PcmResampler(48_000, 2), le16((short) 100, (short) 300, (short) -10, (short) 10), 4);
        assertArrayEquals(new short[] {200, 0}, out);
    }

    @Test
    void resultDoesNotDependOnChunkBoundaries() {
        short[] in = new short[4410];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (Math.sin(i / 7.0) * 10_000);
        }
        byte[] pcm = le16(in);
        short[] whole = all(new PcmResampler(44_100, 1), pcm, pcm.length);
        short[] odd = all(new PcmResampler(44_100, 1), pcm, 77);
        assertArrayEquals(whole, odd);
        // 100 ms in, 100 ms out (within one sample)
        assertTrue(Math.abs(whole.length - 4800) <= 1, "got " + whole.length);
    }

    @Test
    void threeSecondsAt16kBecomeThreeSecondsAt48k() {
        byte[] pcm = new byte[16_000 * 3 * 2];
        assertEquals(144_000, all(new PcmResampler(16_000, 1), pcm, 960).length, 3);
    }

    /** The rates a TTS sends: each gives exactly its duration at 48 kHz, stereo as mono. */
    @ParameterizedTest
    @ValueSource(ints = {8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000})
    void everyTtsRateKeepsTheDuration(int rate) {
        for (int channels = 1; channels <= 2; channels++) {
            byte[] pcm = new byte[rate * 2 * channels * 3 / 2]; // 1.5 s
            assertEquals(72_000, all(new PcmResampler(rate, channels), pcm, 15_000).length, rate + " Hz x" + channels);
        }
    }

    /**
     * A stepped sine sweep through each rate's pass band, mono and stereo: the output holds the same tone (frequency
     * and amplitude within 0.1 dB), and what is not that tone (images, aliases, noise) is 60 dB below it. Linear
     * interpolation fails this from a few kHz up (its images are only 12..30 dB down).
     */
    @ParameterizedTest
    @ValueSource(ints = {8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 96_000})
    void sineSweepKeepsFrequencyAndAmplitudeWithoutImages(int rate) {
        double nyquist = Math.min(rate, 48_000) / 2.0;
        for (double fraction : new double[] {0.02, 0.1, 0.3, 0.5, 0.7, 0.8}) {
            double f = fraction * nyquist;
            int channels = fraction == 0.5 ? 2 : 1;
            short[] out = all(new PcmResampler(rate, channels), tone(rate, channels, f, 0.5, 16_384), 15_000);
            Fit fit = Fit.of(out, f, 4_800, out.length - 4_800);
            double gainDb = 20 * Math.log10(fit.amplitude / 16_384);
            double residualDb = 20 * Math.log10(fit.residualRms / (fit.amplitude / Math.sqrt(2)));
            String at = rate + " Hz, tone " + Math.round(f) + " Hz x" + channels;
            assertTrue(Math.abs(gainDb) < 0.1, at + ": gain " + gainDb + " dB");
            assertTrue(residualDb < -60, at + ": images/aliases/noise at " + residualDb + " dB");
        }
    }

    /** Downsampling: a tone above 24 kHz in 96 kHz input must not fold back into the 48 kHz output. */
    @Test
    void aToneAboveTheOutputBandIsRemovedNotAliased() {
        short[] out = all(new PcmResampler(96_000, 1), tone(96_000, 1, 30_000, 0.5, 16_384), 15_000);
        double rms = 0;
        for (int i = 4_800; i < out.length - 4_800; i++) {
            rms += out[i] * (double) out[i];
        }
        rms = Math.sqrt(rms / (out.length - 9_600));
        assertTrue(20 * Math.log10(rms / (16_384 / Math.sqrt(2))) < -60, "alias of 30 kHz at rms " + rms);
    }

    private static byte[] tone(int rate, int channels, double f, double seconds, double amplitude) {
        int n = (int) (rate * seconds);
        short[] s = new short[n * channels];
        for (int i = 0; i < n; i++) {
            short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * f * i / rate));
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        return le16(s);
    }

    /** Least-squares fit of a sin + b cos + c at one frequency (48 kHz samples), and the RMS of what is left. */
    private record Fit(double amplitude, double residualRms) {
        static Fit of(short[] x, double f, int from, int to) {
            double[][] m = new double[3][3];
            double[] v = new double[3];
            for (int i = from; i < to; i++) {
                double w = 2 * Math.PI * f * i / 48_000;
                double[] b = {Math.sin(w), Math.cos(w), 1};
                for (int r = 0; r < 3; r++) {
                    v[r] += b[r] * x[i];
                    for (int c = 0; c < 3; c++) {
                        m[r][c] += b[r] * b[c];
                    }
                }
            }
            double[] k = solve(m, v);
            double sq = 0;
            for (int i = from; i < to; i++) {
                double w = 2 * Math.PI * f * i / 48_000;
                double e = x[i] - (k[0] * Math.sin(w) + k[1] * Math.cos(w) + k[2]);
                sq += e * e;
            }
            return new Fit(Math.hypot(k[0], k[1]), Math.sqrt(sq / (to - from)));
        }

        private static double[] solve(double[][] a, double[] b) {
            int n = b.length;
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    double q = a[r][p] / a[p][p];
                    b[r] -= q * b[p];
                    for (int c = p; c < n; c++) {
                        a[r][c] -= q * a[p][c];
                    }
                }
            }
            double[] x = new double[n];
            for (int r = n - 1; r >= 0; r--) {
                double s = b[r];
                for (int c = r + 1; c < n; c++) {
                    s -= a[r][c] * x[c];
                }
                x[r] = s / a[r][r];
            }
            return x;
        }
    }

    @Test
    void refusesHostileAttributes() {
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(48_000, 0));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(10_000_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(48_000, 64));
    }
}
