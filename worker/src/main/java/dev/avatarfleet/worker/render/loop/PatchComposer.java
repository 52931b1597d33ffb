package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.render.avatar.PatchRegion;

/**
 * Writes a rendered patch (I420, P x P) into a frame (I420, width x height) at the patch's place: P rows of luma and
 * P/2 rows of each chroma plane, nothing else. The rest of the frame is the prepared background, untouched.
 */
final class PatchComposer {

    private PatchComposer() {
    }

    static void compose(byte[] patchI420, PatchRegion at, byte[] frame, int width, int height) {
        int p = at.size();
        for (int r = 0; r < p; r++) {
            System.arraycopy(patchI420, r * p, frame, (at.y() + r) * width + at.x(), p);
        }
        int cp = p / 2;
        int cw = width / 2;
        int uPatch = p * p;
        int vPatch = uPatch + cp * cp;
        int uFrame = width * height;
        int vFrame = uFrame + cw * (height / 2);
        int cx = at.x() / 2;
        int cy = at.y() / 2;
        for (int r = 0; r < cp; r++) {
            System.arraycopy(patchI420, uPatch + r * cp, frame, uFrame + (cy + r) * cw + cx, cp);
            System.arraycopy(patchI420, vPatch + r * cp, frame, vFrame + (cy + r) * cw + cx, cp);
        }
    }
}
