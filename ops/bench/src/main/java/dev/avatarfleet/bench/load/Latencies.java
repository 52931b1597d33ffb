package dev.avatarfleet.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies in milliseconds, added from many threads; nearest-rank percentiles. */
public final class Latencies {
    private final List<Double> values = Collections.synchronizedList(new ArrayList<>());

    public void add(double ms) {
        values.add(ms);
    }

    public int count() {
        return values.size();
    }

    /** The nearest-rank percentile p (0..100), or NaN when empty. */
    public double percentile(double p) {
        List<Double> v;
        synchronized (values) {
            v = new ArrayList<>(values);
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.size());
        return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
    }

    /** One decimal, or "-" when nothing was measured (a markdown cell). */
    public static String cell(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", ms);
    }
}
