package dev.avatarfleet.worker.render;

import dev.avatarfleet.worker.face.DetectedFace;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.render.http.TestFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Judges an avatar's mouth from frames a viewer RECEIVED (the agent's {@code @livekit/rtc-node} stream, the try-it
 * page's video element), wherever the head has swayed to: a landmark model ({@link FaceLandmarker}, as
 * {@link TalkingJudge} uses on rendered frames) finds the face on EACH frame, and the mouth is measured in that frame's
 * own landmarks: the inner-lip opening |62-66| in mouth widths (|48-54|), TalkingJudge's measure. A ratio inside the
 * frame's own face: a head that moves, rolls a little or scales moves the measure's points with it; no fixed region of
 * the picture and no reference frame is involved.
 *
 * <p>Per phase the judgement takes the median over the frames (speech opens the mouth on most frames, not all:
 * syllables and the speech's first moments). The lips part on speech when the speaking median exceeds the resting one
 * by at least {@value #APART} mouth widths; they are closed again when back within {@value #APART} of it. Why
 * {@value #APART} and not TalkingJudge's 0.08 (a sustained /a/ at full strength, paired with a silent render of the same
 * clock): on received frames (VP8 at 256 x 256) of the agent's and the try-it page's modulated speech the medians part
 * by 0.064-0.086, while two resting phases of one session (idle before the speech, after it) differ by at most 0.024
 * (the head's pose moves the landmarks' reading a little), and a still mouth under a head sway several times the
 * model's by at most 0.02 (ReceivedMouthTest).
 *
 * <p>Frames come as files {@code <phase>-<seq>-<width>x<height>.i420} (raw I420, written by ops/sdk-tests/agent.mjs) or
 * {@code <phase>-<seq>.png} (the try-it page's canvas, by ops/sdk-tests/try-page.mjs).
 */
public final class ReceivedMouth {

    /** In mouth widths: how far the speaking median must exceed the resting one, and how close a closed mouth is to it. */
    public static final double APART = 0.04;
    /** At least this share of a phase's frames must show a face, and at least {@value #MIN_FRAMES} of them. */
    static final double MIN_FOUND = 0.75;
    static final int MIN_FRAMES = 4;

    private static final Pattern NAME = Pattern.compile("([A-Za-z]+)-(\\d+)(?:-(\\d+)x(\\d+))?\\.(i420|png)");

    private final FaceLandmarker landmarker;

    public ReceivedMouth(FaceLandmarker landmarker) {
        this.landmarker = landmarker;
    }

    /**
     * One phase's frames, measured.
     *
     * @param frames   how many frames were looked at
     * @param openings the inner-lip openings (mouth widths) of the frames a face was found on, in order
     */
    public record Phase(String name, int frames, List<Double> openings) {

        /** The median opening (0 for none). */
        public double opening() {
            double[] v = openings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return 0;
            }
            return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
        }

        /** Why this phase cannot be judged (too few frames with a face), or null. */
        public String problem() {
            if (openings.size() < MIN_FRAMES || openings.size() < MIN_FOUND * frames) {
                return name + ": a face on " + openings.size() + " of " + frames + " frames";
            }
            return null;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: median opening %.3f (face on %d of %d frames)", name, opening(), openings.size(), frames);
        }
    }

    /**
     * One session's mouth over its three phases: at rest, speaking, and after the speech (its end, or cut by a clear).
     */
    public record Talk(Phase rest, Phase speaking, Phase after) {

        /** Empty when the lips part on speech ({@link #opensOnSpeech}) and are closed again after it ({@link #closedAgain}). */
        public Optional<String> problem() {
            return opensOnSpeech(rest, speaking).or(() -> closedAgain(rest, after));
        }

        @Override
        public String toString() {
            return rest + "; " + speaking + "; " + after;
        }
    }

    /**
     * Whether the mouth moved with speech: the speaking median exceeds the resting one by at least {@value #APART}
     * mouth widths (both phases with a face on enough frames); empty when it did, else why not.
     */
    public static Optional<String> opensOnSpeech(Phase rest, Phase speaking) {
        String problem = firstProblem(rest, speaking);
        if (problem != null) {
            return Optional.of(problem);
        }
        double gain = speaking.opening() - rest.opening();
        return gain >= APART ? Optional.empty()
                : Optional.of(String.format(Locale.ROOT, "the lips part by %.3f mouth widths more on speech than at rest (< %.2f): %s; %s",
                        gain, APART, speaking, rest));
    }

    /** Whether the mouth is closed again: within {@value #APART} mouth widths of the resting median; empty when it is. */
    public static Optional<String> closedAgain(Phase rest, Phase after) {
        String problem = firstProblem(rest, after);
        if (problem != null) {
            return Optional.of(problem);
        }
        double left = after.opening() - rest.opening();
        return left < APART ? Optional.empty()
                : Optional.of(String.format(Locale.ROOT, "the lips stay %.3f mouth widths apart beyond rest (>= %.2f): %s; %s", left, APART,
                        after, rest));
    }

    private static String firstProblem(Phase a, Phase b) {
        return a.problem() != null ? a.problem() : b.problem();
    }

    /** The phases "idle", "speaking" and {@code after} of the frames in {@code dir}, at most {@code max} frames each. */
    public Talk talk(Path dir, String after, int max) {
        return new Talk(phase(dir, "idle", max), phase(dir, "speaking", max), phase(dir, after, max));
    }

    /** Measures the frames of {@code phase} in {@code dir}: at most {@code max}, evenly spread over the phase. */
    public Phase phase(Path dir, String phase, int max) {
        List<BufferedImage> picked = new ArrayList<>();
        for (Path f : spread(files(dir, phase), max)) {
            picked.add(read(f));
        }
        return phase(phase, picked);
    }

    /** Measures frames already in memory. */
    public Phase phase(String name, List<BufferedImage> frames) {
        List<Double> found = new ArrayList<>();
        for (BufferedImage f : frames) {
            opening(f).ifPresent(found::add);
        }
        return new Phase(name, frames.size(), found);
    }

    /** The inner-lip opening of the main face in one frame, in mouth widths; empty where no face is found. */
    public Optional<Double> opening(BufferedImage frame) {
        return landmarker.analyse(frame).main().map(DetectedFace::landmarks).map(TalkingJudge::opening);
    }

    /** The phase's frame files in sequence order. */
    static List<Path> files(Path dir, String phase) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                return m.matches() && m.group(1).equals(phase);
            }).sorted(Comparator.comparingInt(ReceivedMouth::sequence)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many frames of each phase {@code dir} holds, for messages. */
    public static String census(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            var counts = new java.util.TreeMap<String, Integer>();
            s.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            });
            return counts.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int sequence(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** At most {@code max} of {@code all}, evenly spread (first and last kept). */
    static <T> List<T> spread(List<T> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<T> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        }
        return out;
    }

    /** One frame file as an image. */
    static BufferedImage read(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a frame file: " + file);
        }
        try {
            if (m.group(5).equals("png")) {
                BufferedImage img = ImageIO.read(file.toFile());
                if (img == null) {
                    throw new IOException("not a PNG: " + file);
                }
                return img;
            }
            int w = Integer.parseInt(m.group(3));
            int h = Integer.parseInt(m.group(4));
            byte[] i420 = Files.readAllBytes(file);
            if (i420.length != w * h * 3 / 2) {
                throw new IOException(file + ": " + i420.length + " bytes, not an I420 frame of " + w + "x" + h);
            }
            return TalkingJudge.image(TestFrames.rgb(i420, w, h), w, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
