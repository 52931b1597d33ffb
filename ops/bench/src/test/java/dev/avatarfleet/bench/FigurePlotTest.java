package dev.avatarfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FigurePlotTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        // why: CI has no display; XChart draws into an image only
        System.setProperty("java.awt.headless", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line", "bar", "stacked"})
    void eachKindWritesAPng(String kind) throws Exception {
        Path json = dir.resolve(kind + ".json");
        Files.writeString(json, """
                {"title": "t", "plot": {"kind": "%s", "x_label": "sessions", "y_label": "ms", "x": [1, 2, 4],
                 "series": {"a": [1.5, null, 3.0], "b": [2.0, 2.5, null]}}}""".formatted(kind));
        Path png = dir.resolve(kind + ".png");
        FigurePlot.main(new String[] {json.toString(), png.toString()});
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(450, image.getHeight());
    }

    @Test
    void aLineLeavesOutTheCountsNotMeasured() throws Exception {
        var ys = new ObjectMapper().readTree("[1.0, null, 3.0]");
        FigurePlot.Series s = FigurePlot.Series.of(List.of(1.0, 2.0, 4.0), ys);
        assertEquals(List.of(1.0, 4.0), s.x());
        assertEquals(List.of(1.0, 3.0), s.y());
    }

    @Test
    void aFigureWithNothingMeasuredHasNoPlotAndLosesAStaleOne() throws Exception {
        Path json = dir.resolve("failover.json");
        Files.writeString(json, "{\"title\": \"t\", \"plot\": null}");
        Path png = dir.resolve("failover.png");
        Files.write(png, new byte[] {1, 2, 3});
        FigurePlot.main(new String[] {json.toString(), png.toString()});
        assertFalse(Files.exists(png));
    }
}
