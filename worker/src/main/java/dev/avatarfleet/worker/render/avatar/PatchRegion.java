package dev.avatarfleet.worker.render.avatar;

/**
 * Where an avatar's head region ("patch") sits in its frame: the square the model renders each tick; the rest of the
 * frame is the prepared background. Origin and side are even, so the patch's chroma (I420, halved) lines up with the
 * frame's.
 *
 * @param x    left column in the frame
 * @param y    top row in the frame
 * @param size P, the side in pixels
 */
public record PatchRegion(int x, int y, int size) {

    public PatchRegion {
        if (x < 0 || y < 0 || size < 2 || x % 2 != 0 || y % 2 != 0 || size % 2 != 0) {
            throw new IllegalArgumentException("patch origin and side must be even and non-negative: " + x + "," + y + " side " + size);
        }
    }

    /**
     * The patch side a worker uses for a video size: five eighths of the shorter side, even (320 at 512 x 512, 160 at
     * 256 x 256): the head of a head-and-shoulders crop with room for its motion to fade out before the border.
     */
    public static int defaultSize(int width, int height) {
        return Math.max(2, Math.min(width, height) * 5 / 8 / 2 * 2);
    }

    /**
     * The square of side {@code size} centred as near {@code (cx, cy)} (frame pixels) as the frame allows.
     *
     * @throws IllegalArgumentException when the frame is smaller than the patch
     */
    public static PatchRegion around(double cx, double cy, int size, int width, int height) {
        if (size > width || size > height) {
            throw new IllegalArgumentException("a " + size + " patch does not fit a " + width + "x" + height + " frame");
        }
        int x = (int) Math.round((cx - size / 2.0) / 2) * 2;
        int y = (int) Math.round((cy - size / 2.0) / 2) * 2;
        return new PatchRegion(Math.max(0, Math.min(width - size, x)), Math.max(0, Math.min(height - size, y)), size);
    }
}
