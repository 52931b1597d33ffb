package dev.avatarfleet.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads (Java and native: TensorFlow's pool, libwebrtc's encoder queues) read from
 * {@code /proc/self/task}, grouped by a name rule. Two snapshots give what each group used in between.
 */
final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0; // why: USER_HZ is 100 on every Linux this runs on

    private ThreadCpu() {
    }

    /** CPU nanoseconds per group, summed over live threads (threads that ended between snapshots are lost). */
    static Map<String, Long> snapshot() {
        Map<String, Long> byGroup = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // why: the name in stat may hold spaces; fields after the closing paren are fixed
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    byGroup.merge(group(comm), (long) (ticks * 1e9 / TICKS_PER_SECOND), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended while being read
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return byGroup;
    }

    /** after - before, per group, dropping groups that used nothing. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long x = v - before.getOrDefault(k, 0L);
            if (x > 0) {
                d.put(k, x);
            }
        });
        return d;
    }

    /**
     * The stage a thread's CPU belongs to. libwebrtc names its task-queue threads (EncoderQueue, DecodingQueue,
     * IncomingVideoStream, PacerQueue, ...); TensorFlow's intra-op pool threads keep the process name (java).
     */
    static String group(String comm) {
        if (comm.equals("render-loop")) {
            return "render thread";
        }
        if (comm.startsWith("EncoderQueue") || comm.startsWith("VideoEncoder") || comm.startsWith("rtp_send") || comm.contains("Encode")) {
            return "encoder";
        }
        if (comm.startsWith("DecodingQueue") || comm.startsWith("IncomingVideoSt") || comm.contains("Decod")) {
            return "decoder (bench receiver)";
        }
        if (comm.startsWith("webrtc_jni_netw") || comm.startsWith("PacerQueue") || comm.startsWith("TaskQueuePacedS")
                || comm.startsWith("rtp_send_contro") || comm.startsWith("RtpSendContr") || comm.startsWith("network")) {
            return "packetise/send";
        }
        if (comm.startsWith("webrtc_jni_work") || comm.startsWith("webrtc_jni_sign") || comm.startsWith("AudioEncoder")
                || comm.startsWith("rtc-") || comm.startsWith("Audio")) {
            return "webrtc other";
        }
        if (comm.equals("java") || comm.startsWith("tf_") || comm.startsWith("Eigen")) {
            return "tensorflow pool";
        }
        if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("C1 ") || comm.startsWith("C2 ")
                || comm.startsWith("VM ")) {
            return "jvm (gc, jit)";
        }
        return "other: " + comm;
    }

    static Map<String, String> names() {
        Map<String, String> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    out.merge(comm, "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
                } catch (IOException e) {
                    // ended
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
