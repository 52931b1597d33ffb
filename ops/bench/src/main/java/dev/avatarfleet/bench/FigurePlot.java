package dev.avatarfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One benchmark figure's PNG from its JSON (written by {@code ops/bench/figure}): the JSON's {@code plot} object
 * names the kind ({@code line}, {@code bar} or {@code stacked}), the axis labels, the x values and one list of y
 * values per series. {@code FigurePlot RESULT.json OUT.png}; a figure without a plot (nothing measured) gets none.
 */
public final class FigurePlot {
    private FigurePlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FigurePlot RESULT.json OUT.png");
            System.exit(2);
        }
        JsonNode figure = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        JsonNode plot = figure.path("plot");
        if (plot.isMissingNode() || plot.isNull() || plot.path("x").isEmpty()) {
            Files.deleteIfExists(Path.of(args[1]));
            System.out.println("no plot for " + args[0] + " (nothing measured)");
            return;
        }
        Chart<?, ?> chart = chart(figure.path("title").asText(""), plot);
        BitmapEncoder.saveBitmap(chart, stripPng(args[1]), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("plot " + args[1]);
    }

    static Chart<?, ?> chart(String title, JsonNode plot) {
        String kind = plot.path("kind").asText("line");
        List<String> labels = new ArrayList<>();
        plot.path("x").forEach(x -> labels.add(x.asText()));
        if (kind.equals("line")) {
            XYChart c = new XYChartBuilder().width(800).height(450).title(title)
                    .xAxisTitle(plot.path("x_label").asText("")).yAxisTitle(plot.path("y_label").asText("")).build();
            List<Double> xs = new ArrayList<>();
            plot.path("x").forEach(x -> xs.add(x.asDouble()));
            for (Map.Entry<String, JsonNode> s : plot.path("series").properties()) {
                Series ys = Series.of(xs, s.getValue());
                if (!ys.x().isEmpty()) {
                    c.addSeries(s.getKey(), ys.x(), ys.y());
                }
            }
            return c;
        }
        CategoryChart c = new CategoryChartBuilder().width(800).height(450).title(title)
                .xAxisTitle(plot.path("x_label").asText("")).yAxisTitle(plot.path("y_label").asText("")).build();
        // why: a stacked bar shows where one tick's time goes, stage by stage
        c.getStyler().setStacked(kind.equals("stacked"));
        for (Map.Entry<String, JsonNode> s : plot.path("series").properties()) {
            List<Double> ys = new ArrayList<>();
            s.getValue().forEach(y -> ys.add(y.isNumber() ? y.asDouble() : 0.0));
            c.addSeries(s.getKey(), labels, ys);
        }
        return c;
    }

    /** The points of one series that have a value (a null y is a count that was not measured). */
    record Series(List<Double> x, List<Double> y) {
        static Series of(List<Double> xs, JsonNode ys) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < xs.size() && i < ys.size(); i++) {
                if (ys.get(i).isNumber()) {
                    x.add(xs.get(i));
                    y.add(ys.get(i).asDouble());
                }
            }
            return new Series(x, y);
        }
    }

    private static String stripPng(String out) {
        return out.endsWith(".png") ? out.substring(0, out.length() - 4) : out;
    }
}
