package dev.avatarfleet.api.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * An input stream that refuses to yield more than {@code limit} bytes: the read that would cross
 * the limit throws the caller's exception (usually a 413), so an oversized body is refused while
 * it arrives, never after it has been buffered.
 */
public final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final Supplier<? extends RuntimeException> overLimit;
    private long count;

    public LimitedInputStream(InputStream in, long limit, Supplier<? extends RuntimeException> overLimit) {
        super(in);
        this.limit = limit;
        this.overLimit = overLimit;
    }

    /** Reads everything (at most {@code limit} bytes) into an array. */
    public static byte[] readAll(InputStream in, long limit, Supplier<? extends RuntimeException> overLimit) throws IOException {
        return new LimitedInputStream(in, limit, overLimit).readAllBytes();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // why: never ask for more than one byte past the limit, so the overflow is seen at once
        long room = limit - count + 1;
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, room)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - count + 1));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) {
        count += n;
        if (count > limit) {
            throw overLimit.get();
        }
    }
}
