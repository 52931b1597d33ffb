package dev.avatarfleet.worker.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Figures the media tests measure on the way (never asserted as timings); ops/bench/session-figures.sh prints them. */
final class BenchFigures {

    static final Path FILE = Path.of("target", "bench", "session-figures.txt");

    private BenchFigures() {
    }

    static synchronized void record(String name, long value) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, name + "=" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // figures are informative only
        }
    }
}
