package dev.avatarfleet.common.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The process's memory as the kernel sees it: {@code VmRSS} of {@code /proc/self/status}, and the part of it
 * outside the Java heap (RSS minus the committed heap). why: a worker's memory is mostly native (TensorFlow,
 * libwebrtc, glibc arenas), which no JVM meter shows; NMT would name it but costs 5-10 % and a JVM flag, and
 * {@code BufferPoolMXBean} sees only direct buffers.
 */
final class ProcessMemory {

    private final Supplier<String> status;
    private final LongSupplier heapCommitted;

    ProcessMemory(Supplier<String> status, LongSupplier heapCommitted) {
        this.status = status;
        this.heapCommitted = heapCommitted;
    }

    static ProcessMemory system() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return new ProcessMemory(ProcessMemory::readStatus, () -> memory.getHeapMemoryUsage().getCommitted());
    }

    /** Resident set size in bytes, NaN where {@code /proc} is not there. */
    double rssBytes() {
        String text = status.get();
        if (text == null) {
            return Double.NaN;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024.0 : value;
            }
        }
        return Double.NaN;
    }

    /** RSS minus the committed heap, never below 0; NaN without an RSS. */
    double nativeBytes() {
        double rss = rssBytes();
        return Double.isNaN(rss) ? Double.NaN : Math.max(0, rss - heapCommitted.getAsLong());
    }

    private static String readStatus() {
        try {
            return Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
