package dev.avatarfleet.worker.face;

/** A point in pixels of the image a face was found in (x right, y down). */
public record Point(double x, double y) {

    /** The distance to another point. */
    public double distance(Point o) {
        return Math.hypot(x - o.x, y - o.y);
    }

    /** The midpoint with another point. */
    public Point mid(Point o) {
        return new Point((x + o.x) / 2, (y + o.y) / 2);
    }
}
