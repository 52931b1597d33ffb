package dev.avatarfleet.worker.face;

/** An axis-aligned rectangle in pixels of the image (x, y: its top-left corner). */
public record Rect(double x, double y, double width, double height) {

    public Rect {
        if (!(width >= 0) || !(height >= 0)) {
            throw new IllegalArgumentException("a rectangle needs a non-negative size, got " + width + "x" + height);
        }
    }

    public Point centre() {
        return new Point(x + width / 2, y + height / 2);
    }

    public double area() {
        return width * height;
    }

    /** Whether {@code p} lies inside (edges included). */
    public boolean contains(Point p) {
        return p.x() >= x && p.x() <= x + width && p.y() >= y && p.y() <= y + height;
    }

    /** Whether {@code r} lies wholly inside, with {@code slack} pixels of tolerance. */
    public boolean contains(Rect r, double slack) {
        return r.x >= x - slack && r.y >= y - slack && r.x + r.width <= x + width + slack && r.y + r.height <= y + height + slack;
    }
}
