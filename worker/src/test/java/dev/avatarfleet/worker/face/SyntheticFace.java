package dev.avatarfleet.worker.face;

import java.util.ArrayList;
import java.util.List;

/**
 * A symmetric 68-point face drawn from numbers, for geometry tests: in its own frame the eyes' centres are at
 * (-0.5, 0) and (0.5, 0), the jaw runs from (-1, 0.1) through the chin (0, 1.6) to (1, 0.1), the mouth corners
 * are at (+-0.45, 1.1); then scaled, rolled clockwise on screen and moved to a centre.
 */
final class SyntheticFace {

    private SyntheticFace() {
    }

    /** In the face's own frame, eye openness 5 x {@code lid}. */
    static List<Point> template(double lid) {
        List<Point> p = new ArrayList<>();
        for (int k = 0; k <= 16; k++) {
            double a = Math.PI * k / 16;
            p.add(new Point(-Math.cos(a), 0.1 + 1.5 * Math.sin(a)));
        }
        for (int k = 0; k < 5; k++) {
            p.add(new Point(-0.85 + 0.175 * k, -0.3));
        }
        for (int k = 0; k < 5; k++) {
            p.add(new Point(0.15 + 0.175 * k, -0.3));
        }
        for (int k = 0; k < 4; k++) {
            p.add(new Point(0, 0.1 + 0.2 * k));
        }
        for (int k = 0; k < 5; k++) {
            p.add(new Point(-0.2 + 0.1 * k, 0.8));
        }
        double[][] eye = {{-0.7, 0}, {-0.57, -lid}, {-0.43, -lid}, {-0.3, 0}, {-0.43, lid}, {-0.57, lid}};
        for (double[] e : eye) {
            p.add(new Point(e[0], e[1]));
        }
        double[][] right = {{0.3, 0}, {0.43, -lid}, {0.57, -lid}, {0.7, 0}, {0.57, lid}, {0.43, lid}};
        for (double[] e : right) {
            p.add(new Point(e[0], e[1]));
        }
        double[][] outer = {{-0.45, 1.1}, {-0.3, 1.0}, {-0.12, 0.97}, {0, 0.98}, {0.12, 0.97}, {0.3, 1.0},
            {0.45, 1.1}, {0.3, 1.22}, {0.12, 1.27}, {0, 1.28}, {-0.12, 1.27}, {-0.3, 1.22}};
        for (double[] o : outer) {
            p.add(new Point(o[0], o[1]));
        }
        double[][] inner = {{-0.38, 1.1}, {-0.15, 1.06}, {0, 1.06}, {0.15, 1.06}, {0.38, 1.1}, {0.15, 1.14}, {0, 1.14}, {-0.15, 1.14}};
        for (double[] o : inner) {
            p.add(new Point(o[0], o[1]));
        }
        return p;
    }

    /** The template scaled by {@code scale}, rolled by {@code rollDegrees}, its eyes' midpoint at (cx, cy). */
    static FaceLandmarks at(double cx, double cy, double scale, double rollDegrees, double lid) {
        double a = Math.toRadians(rollDegrees);
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new FaceLandmarks(template(lid).stream()
                .map(q -> new Point(cx + scale * (q.x() * c - q.y() * s), cy + scale * (q.x() * s + q.y() * c)))
                .toList());
    }

    static FaceLandmarks at(double cx, double cy, double scale, double rollDegrees) {
        return at(cx, cy, scale, rollDegrees, 0.06);
    }
}
