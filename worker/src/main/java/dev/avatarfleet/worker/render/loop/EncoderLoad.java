package dev.avatarfleet.worker.render.loop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of libwebrtc's video encoder threads ({@code EncoderQueue}, one per published track), read from
 * {@code /proc/self/task}: the encoding cost the render loop cannot see, since frames are encoded off its thread.
 * Without {@code /proc} (not Linux) it reads nothing and the capacity uses its prior.
 */
final class EncoderLoad {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double NANOS_PER_TICK = 1e9 / 100; // why: USER_HZ is 100 on every Linux this runs on

    private EncoderLoad() {
    }

    /** CPU nanoseconds the live encoder threads have used so far, or -1 when unknown. */
    static long cpuNanos() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith("EncoderQueue")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    total += (long) ((Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
                } catch (IOException | RuntimeException e) {
                    // why: a thread that ended while being read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }
}
