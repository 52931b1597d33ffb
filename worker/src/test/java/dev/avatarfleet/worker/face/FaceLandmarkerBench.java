package dev.avatarfleet.worker.face;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.TensorFlow;

/**
 * What finding faces and landmarks costs per image on this machine (ops/bench/faces): TensorFlow's native start,
 * reading both models' weights and building the graph, the first image (cold), then every image REPS times (warm):
 * median total and mean per stage (scaling and letterboxing in Java, the detector, the landmark crops and net).
 * Usage: {@code FaceLandmarkerBench [REPS] [THREADS]} (defaults 10 and 0 = TensorFlow's choice).
 */
public final class FaceLandmarkerBench {

    private FaceLandmarkerBench() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Map<String, BufferedImage> images = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            images.put("sample" + i + ".jpg", PhotoSet.read("sample" + i + ".jpg"));
        }
        BufferedImage s3 = images.get("sample3.jpg");
        images.put("sample3 face crop 512x512", scaled(s3.getSubimage(393, 206, 560, 560), 512, 512));
        images.put("sample3 upscaled 4000x2812", scaled(s3, 4000, 2812));

        long t0 = System.nanoTime();
        String version = TensorFlow.version();
        long t1 = System.nanoTime();
        long rssNative = rssMb();
        try (FaceLandmarker landmarker = FaceLandmarker.load(WeightFiles.classpath(), threads)) {
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "TensorFlow %s, %d cores, intra-op threads %s, load average %.2f%n", version,
                    Runtime.getRuntime().availableProcessors(), threads == 0 ? "TensorFlow's choice" : threads,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "native start %.0f ms; weights (%.1f MB) read and graph built %.0f ms%n",
                    ms(t1 - t0), landmarker.weightBytes() / 1e6, ms(t2 - t1));
            Map.Entry<String, BufferedImage> first = images.entrySet().iterator().next();
            long[] cold = new long[3];
            long c0 = System.nanoTime();
            FaceAnalysis a = landmarker.analyse(first.getValue(), cold);
            System.out.printf(Locale.ROOT, "cold (first image, %s, %d faces): %.0f ms (scale %.0f, detect %.0f, landmarks %.0f)%n",
                    first.getKey(), a.faces().size(), ms(System.nanoTime() - c0), ms(cold[0]), ms(cold[1]), ms(cold[2]));
            System.out.printf(Locale.ROOT, "%-28s %9s %5s %9s %9s %9s %9s%n", "warm, " + reps + " runs each", "size", "faces",
                    "median ms", "scale", "detect", "landmarks");
            for (Map.Entry<String, BufferedImage> e : images.entrySet()) {
                BufferedImage img = e.getValue();
                long[] stages = new long[3];
                List<Long> totals = new ArrayList<>();
                int faces = 0;
                for (int r = 0; r < reps; r++) {
                    long s = System.nanoTime();
                    faces = landmarker.analyse(img, stages).faces().size();
                    totals.add(System.nanoTime() - s);
                }
                long[] sorted = totals.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "%-28s %9s %5d %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), img.getWidth() + "x" + img.getHeight(),
                        faces, ms(sorted[sorted.length / 2]), ms(stages[0]) / reps, ms(stages[1]) / reps, ms(stages[2]) / reps);
            }
            System.out.printf(Locale.ROOT, "RSS %d MB after TensorFlow's start, %d MB after the runs; load average after %.2f%n",
                    rssNative, rssMb(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long rssMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
