package dev.avatarfleet.worker.face;

/**
 * Maps an n x n network input onto the image: input coordinate (u, v) (pixels, continuous, origin at the top-left
 * corner) is image point {@code origin + u * ex + v * ey}. Input pixels outside the window [u0, u1) x [v0, v1)
 * are black padding, as face-api pads its crops to a square with zeros.
 */
record CropTransform(int size, double ox, double oy, double exx, double exy, double eyx, double eyy,
                     double u0, double v0, double u1, double v1) {

    /**
     * The detector's input: the whole image scaled so its long side fills {@code n}, anchored top-left, the
     * short side padded at the bottom or right.
     */
    static CropTransform letterbox(int imageWidth, int imageHeight, int n) {
        double s = Math.max(imageWidth, imageHeight) / (double) n;
        return new CropTransform(n, 0, 0, s, 0, 0, s, 0, 0, imageWidth / s, imageHeight / s);
    }

    /**
     * The landmark net's input for a face box: a square of the box's longer side about its centre, turned by
     * {@code rollDegrees} (so that a face rolled by that much comes out upright), the box centred in it and the
     * rest black.
     */
    static CropTransform faceSquare(Rect box, double rollDegrees, int n) {
        double side = Math.max(box.width(), box.height());
        double s = side / n;
        double a = Math.toRadians(rollDegrees);
        double exx = Math.cos(a) * s;
        double exy = Math.sin(a) * s;
        double eyx = -Math.sin(a) * s;
        double eyy = Math.cos(a) * s;
        Point c = box.centre();
        double half = n / 2.0;
        double ox = c.x() - half * exx - half * eyx;
        double oy = c.y() - half * exy - half * eyy;
        double hw = box.width() / (2 * s);
        double hh = box.height() / (2 * s);
        return new CropTransform(n, ox, oy, exx, exy, eyx, eyy, half - hw, half - hh, half + hw, half + hh);
    }

    /** Image pixels per input pixel. */
    double scale() {
        return Math.hypot(exx, exy);
    }

    /** The image point of input coordinate (u, v). */
    Point toImage(double u, double v) {
        return new Point(ox + u * exx + v * eyx, oy + u * exy + v * eyy);
    }
}
