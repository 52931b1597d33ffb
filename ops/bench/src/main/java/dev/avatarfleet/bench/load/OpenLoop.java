package dev.avatarfleet.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Offers calls at a fixed rate for a fixed time, open loop: call i starts at {@code start + i / rate} on a virtual
 * thread of its own whatever earlier calls are doing, and its latency counts from that scheduled time (so a slow
 * server is not hidden by a client that waits for it: no coordinated omission).
 */
public final class OpenLoop {

    /**
     * @param sent       calls started
     * @param outcomes   how many calls ended each way (the call's own label: "200", "503 at_capacity", "timeout", ...)
     * @param all        latency of every call that ended, from its scheduled start
     * @param ok         latency of the calls labelled {@code okLabel}
     * @param unfinished calls still running when the drain time ran out
     * @param seconds    from the first scheduled start to the last end
     * @param maxLateMs  how late the scheduler itself started a call, at worst (the client's own lag)
     */
    public record Result(int sent, Map<String, Integer> outcomes, Latencies all, Latencies ok, int unfinished, double seconds,
                         double maxLateMs) {
        public int count(String label) {
            return outcomes.getOrDefault(label, 0);
        }
    }

    private OpenLoop() {
    }

    /**
     * Runs {@code call} {@code rate * length} times on schedule, then waits at most {@code drain} for the last ones.
     *
     * @param call    call i; returns its outcome's label (an exception's class name counts as its label)
     * @param okLabel the label of a successful call
     */
    public static Result run(double rate, Duration length, Duration drain, String okLabel, IntFunction<String> call)
            throws InterruptedException {
        int n = Math.max(1, (int) Math.round(rate * length.toMillis() / 1000.0));
        long period = (long) (1_000_000_000L / rate);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        Latencies all = new Latencies();
        Latencies ok = new Latencies();
        AtomicLong lastEnd = new AtomicLong();
        AtomicLong maxLate = new AtomicLong();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            long at = start + i * period;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            threads.execute(() -> {
                long late = System.nanoTime() - at;
                maxLate.accumulateAndGet(late, Math::max);
                String label;
                try {
                    label = call.apply(index);
                } catch (RuntimeException e) {
                    label = e.getClass().getSimpleName();
                }
                long end = System.nanoTime();
                double ms = (end - at) / 1e6;
                all.add(ms);
                if (okLabel.equals(label)) {
                    ok.add(ms);
                }
                outcomes.merge(label, 1, Integer::sum);
                lastEnd.accumulateAndGet(end, Math::max);
            });
        }
        threads.shutdown();
        boolean done = threads.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            threads.shutdownNow();
        }
        // why: one snapshot for both, so a call interrupted at the drain's end is counted once, as ended or unfinished
        Map<String, Integer> snapshot = new TreeMap<>(outcomes);
        int ended = snapshot.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(n, snapshot, all, ok, n - ended, (Math.max(lastEnd.get(), start) - start) / 1e9,
                maxLate.get() / 1e6);
    }
}
