package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.Point;
import dev.avatarfleet.worker.face.Rect;

/**
 * The part of a source image that becomes the video frame, in source pixels (continuous, origin at the top-left
 * corner), at the video's aspect.
 */
record Crop(double x, double y, double w, double h) {

    /** A crop of the given aspect, as wide as fits, centred across and with its centre at {@code centreY} of the height. */
    static Crop centred(int iw, int ih, double aspect, double centreY) {
        double cw = Math.min(iw, ih * aspect);
        double ch = cw / aspect;
        return clamp(iw, ih, iw / 2.0 - cw / 2, ih * centreY - ch / 2, cw, ch);
    }

    /** A crop {@code wantW} wide (or as wide as fits) centred on (cx, cy), slid back inside the image. */
    static Crop around(int iw, int ih, double aspect, double cx, double cy, double wantW) {
        double cw = Math.min(wantW, Math.min(iw, ih * aspect));
        double ch = cw / aspect;
        return clamp(iw, ih, cx - cw / 2, cy - ch / 2, cw, ch);
    }

    static Crop of(Rect r) {
        return new Crop(r.x(), r.y(), r.width(), r.height());
    }

    private static Crop clamp(int iw, int ih, double x, double y, double w, double h) {
        return new Crop(Math.max(0, Math.min(iw - w, x)), Math.max(0, Math.min(ih - h, y)), w, h);
    }

    /** A source point in pixels of a {@code fw x fh} frame made from this crop. */
    Point toFrame(Point p, int fw, int fh) {
        return new Point((p.x() - x) * fw / w, (p.y() - y) * fh / h);
    }

    /** Geometry in fractions of the source image to fractions of the frame. */
    FaceGeometry map(FaceGeometry g, int iw, int ih) {
        return new FaceGeometry(
                (float) ((g.mouthX() * iw - x) / w), (float) ((g.mouthY() * ih - y) / h),
                (float) (g.mouthRx() * iw / w), (float) (g.mouthRy() * ih / h),
                (float) ((g.eyeY() * ih - y) / h), (float) (g.eyeDx() * iw / w));
    }
}
