package dev.avatarfleet.worker.session.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

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
    void doubles24kByInterpolation() {
        short[] out = all(new PcmResampler(24_000, 1), le16((short) 0, (short) 100, (short) 200), 6);
        assertArrayEquals(new short[] {0, 50, 100, 150, 200, 200}, out);
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

    @Test
    void refusesHostileAttributes() {
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(48_000, 0));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(10_000_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmResampler(48_000, 64));
    }
}
