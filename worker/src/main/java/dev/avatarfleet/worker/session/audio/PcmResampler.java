package dev.avatarfleet.worker.session.audio;

import dev.avatarfleet.worker.media.AudioFeed;
import java.util.Arrays;

/**
 * Turns one speech stream of little-endian int16 interleaved PCM, at the agent's rate and channel
 * count, into 48 kHz mono samples. Streaming: bytes may arrive in chunks split anywhere (even in the
 * middle of a sample), and the result does not depend on where they were split.
 *
 * <p>Channels are averaged; the rate is converted by a band-limited (windowed-sinc, polyphase) filter,
 * {@link SincFilterBank}: no images or aliases above the lower rate's band, the pitch and the duration kept
 * (n input samples give ceil(n * 48000 / rate) output samples). 48 kHz passes through untouched. Not thread
 * safe: one instance per stream, fed from one thread.
 */
public final class PcmResampler {

    /** Lowest and highest input rates accepted (hostile attributes are refused, not clamped). */
    public static final int MIN_RATE = 8_000;
    public static final int MAX_RATE = 192_000;
    public static final int MAX_CHANNELS = 8;

    private static final int OUT_RATE = AudioFeed.SAMPLE_RATE;

    private final int inRate;
    private final int channels;
    private final int frameBytes;
    private final byte[] partialFrame;
    private final SincFilterBank bank;
    private int partialLength;
    // why: mono input samples not yet consumed; index 0 is input sample number `base` (negative: the zeros before
    // the stream, so its first output sample has a full filter history)
    private short[] pending = new short[4096];
    private int pendingLength;
    private long base;
    private long received;
    private long outIndex;

    public PcmResampler(int sampleRate, int numChannels) {
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw new IllegalArgumentException("sample_rate must be " + MIN_RATE + ".." + MAX_RATE + ", was " + sampleRate);
        }
        if (numChannels < 1 || numChannels > MAX_CHANNELS) {
            throw new IllegalArgumentException("num_channels must be 1.." + MAX_CHANNELS + ", was " + numChannels);
        }
        this.inRate = sampleRate;
        this.channels = numChannels;
        this.frameBytes = 2 * numChannels;
        this.partialFrame = new byte[frameBytes];
        this.bank = sampleRate == OUT_RATE ? null : SincFilterBank.of(sampleRate, OUT_RATE);
        if (bank != null) {
            pendingLength = bank.half - 1;
            base = -pendingLength;
        }
    }

    /** Feeds the next bytes of the stream; returns the 48 kHz mono samples they complete. */
    public short[] push(byte[] pcm) {
        return push(pcm, 0, pcm.length);
    }

    /** Feeds {@code length} bytes from {@code offset}; returns the 48 kHz mono samples they complete. */
    public short[] push(byte[] pcm, int offset, int length) {
        int position = offset;
        int end = offset + length;
        if (partialLength > 0) {
            int take = Math.min(frameBytes - partialLength, end - position);
            System.arraycopy(pcm, position, partialFrame, partialLength, take);
            partialLength += take;
            position += take;
            if (partialLength == frameBytes) {
                appendMono(downmix(partialFrame, 0));
                partialLength = 0;
            }
        }
        int whole = (end - position) / frameBytes;
        ensureCapacity(pendingLength + whole);
        for (int i = 0; i < whole; i++) {
            pending[pendingLength++] = downmix(pcm, position);
            position += frameBytes;
        }
        received += whole;
        if (position < end) {
            partialLength = end - position;
            System.arraycopy(pcm, position, partialFrame, 0, partialLength);
        }
        return drain(false);
    }

    /** Ends the stream: returns the samples still held back (the last filter length, against silence after it). */
    public short[] finish() {
        partialLength = 0;
        return drain(true);
    }

    /** Number of 48 kHz samples an input of {@code bytes} bytes yields, within one sample. */
    public long outputSamplesFor(long bytes) {
        return bytes / frameBytes * OUT_RATE / inRate;
    }

    private short downmix(byte[] pcm, int at) {
        int sum = 0;
        for (int c = 0; c < channels; c++) {
            int lo = pcm[at + 2 * c] & 0xff;
            int hi = pcm[at + 2 * c + 1];
            sum += (short) ((hi << 8) | lo);
        }
        return (short) (sum / channels);
    }

    private void appendMono(short sample) {
        ensureCapacity(pendingLength + 1);
        pending[pendingLength++] = sample;
        received++;
    }

    private void ensureCapacity(int needed) {
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
    }

    private short[] drain(boolean last) {
        if (bank == null) {
            short[] out = Arrays.copyOf(pending, pendingLength);
            pendingLength = 0;
            return out;
        }
        int half = bank.half;
        if (last) {
            // why: the stream is followed by silence, so its last samples can be filtered to the end
            ensureCapacity(pendingLength + half);
            Arrays.fill(pending, pendingLength, pendingLength + half, (short) 0);
            pendingLength += half;
        }
        long available = base + pendingLength; // exclusive end of the samples held
        // output n is at input position n * step / up; it needs samples i - half + 1 .. i + half, and exists
        // while that position is inside the stream (n * step < received * up)
        long count = 0;
        while (true) {
            long i = Math.floorDiv((outIndex + count) * bank.step, bank.up);
            if (i + half >= available || (last && (outIndex + count) * bank.step >= received * bank.up)) {
                break;
            }
            count++;
        }
        short[] out = new short[(int) count];
        for (int k = 0; k < count; k++) {
            long num = (outIndex + k) * bank.step;
            long i = num / bank.up;
            double v = bank.apply(pending, (int) (i - half + 1 - base), bank.phaseOffset(num % bank.up));
            long r = Math.round(v);
            out[k] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
        }
        outIndex += count;
        if (last) {
            pendingLength = 0;
            return out;
        }
        // why: keep only the input samples the next output can still need
        long keepFrom = Math.min(outIndex * bank.step / bank.up - half + 1, available);
        int drop = (int) (keepFrom - base);
        if (drop > 0) {
            System.arraycopy(pending, drop, pending, 0, pendingLength - drop);
            pendingLength -= drop;
            base = keepFrom;
        }
        return out;
    }
}
