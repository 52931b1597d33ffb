package dev.avatarfleet.worker.render.model;

import static dev.avatarfleet.worker.render.model.FaceVector.CHIN_X;
import static dev.avatarfleet.worker.render.model.FaceVector.CHIN_Y;
import static dev.avatarfleet.worker.render.model.FaceVector.EYE_HALF_HEIGHT;
import static dev.avatarfleet.worker.render.model.FaceVector.EYE_HALF_WIDTH;
import static dev.avatarfleet.worker.render.model.FaceVector.FACE_SIZE;
import static dev.avatarfleet.worker.render.model.FaceVector.JAW_HALF_WIDTH;
import static dev.avatarfleet.worker.render.model.FaceVector.LEFT_EYE_X;
import static dev.avatarfleet.worker.render.model.FaceVector.LEFT_EYE_Y;
import static dev.avatarfleet.worker.render.model.FaceVector.LIP_LINE_OFFSET;
import static dev.avatarfleet.worker.render.model.FaceVector.LOWER_LIP;
import static dev.avatarfleet.worker.render.model.FaceVector.MOUTH_HALF_WIDTH;
import static dev.avatarfleet.worker.render.model.FaceVector.MOUTH_X;
import static dev.avatarfleet.worker.render.model.FaceVector.MOUTH_Y;
import static dev.avatarfleet.worker.render.model.FaceVector.PIVOT_X;
import static dev.avatarfleet.worker.render.model.FaceVector.PIVOT_Y;
import static dev.avatarfleet.worker.render.model.FaceVector.REST_OPENING;
import static dev.avatarfleet.worker.render.model.FaceVector.RIGHT_EYE_X;
import static dev.avatarfleet.worker.render.model.FaceVector.RIGHT_EYE_Y;
import static dev.avatarfleet.worker.render.model.FaceVector.ROLL_COS;
import static dev.avatarfleet.worker.render.model.FaceVector.ROLL_SIN;
import static dev.avatarfleet.worker.render.model.FaceVector.UPPER_LIP;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * The face's motion from its landmarks ({@link FaceVector}), the tick's audio
 * and the session clock: the default {@link FaceMotion}.
 *
 * <ul>
 *   <li><b>Mouth</b>: {@link SpeechShapes} gives how open, wide and rounded; the lips part on the real lip line, along
 *       the face's own axis (its roll), at the real mouth width: the lower lip and jaw drop (the chin by
 *       {@value #CHIN_SHARE} of the lip), the upper lip lifts a little, both as a lens that closes at the corners;
 *       wide spreads the corners, rounded pulls them in and makes the opening rounder.</li>
 *   <li><b>Cavity</b>: in output coordinates, the lens between the moved inner lips (the inner lip contour), with a
 *       soft edge inside it: never outside the lips.</li>
 *   <li><b>Blinks</b> every {@value #BLINK_PERIOD} s at each real eye, along the face axis: the upper lid's skin
 *       slides down over the eye's own height and the eye is squeezed toward its lower lid.</li>
 *   <li><b>Head</b>: sway, nod, small roll and scale about the pivot (the neck, below the chin), from slow sines of
 *       the clock, fading to nothing before the patch border.</li>
 * </ul>
 * The warp is zero on the grid's border ring, so the patch composes into the frame without a seam.
 *
 * <p>State ({@value ModelSignature#V2_STATE_SIZE} floats): {@value #OPEN} open, {@value #WIDE} wide, {@value #ROUND}
 * round; 3-7 unused (0). Under silence each settles to exactly 0 (below
 * {@value #SETTLED} it is 0), and every idle motion (blinks, the head's) is periodic with
 * {@link IdleMotion#PERIOD_SECONDS}: a silent session at rest shows its avatar's idle loop frame for frame.
 */
public final class LandmarkFaceMotion implements FaceMotion {

    public static final int OPEN = 0;
    public static final int WIDE = 1;
    public static final int ROUND = 2;
    /** Below this a smoothed mouth value is 0 (a 1 % opening moves the lips by a tenth of a pixel). */
    static final double SETTLED = 0.01;

    /** The inner lips part by this many mouth half-widths at full openness. */
    static final double MAX_GAP = 0.62;
    /** Of the gap, the share the lower lip drops (the rest the upper lip lifts). */
    static final double DROP_SHARE = 0.72;
    /** How far the chin follows the lower lip. */
    static final double CHIN_SHARE = 0.45;
    /** Inner mouth corners, in mouth half-widths. */
    static final double INNER_WIDTH = 0.86;
    static final double WIDE_STRETCH = 0.10;
    static final double ROUND_SQUEEZE = 0.24;
    /** Seconds between blinks (half the idle period); the first peaks at {@value #FIRST_BLINK} s. */
    static final double BLINK_PERIOD = IdleMotion.PERIOD_SECONDS / 2.0;
    static final double FIRST_BLINK = 0.5;
    /** Seconds from half-closed to closed. */
    static final double BLINK_WIDTH = 0.07;
    /** Where in the patch (fraction of its half side from the centre) the head motion starts fading, and ends. */
    static final double FADE_FROM = 0.70;
    static final double FADE_TO = 0.92;
    /** How far the upper lid travels at the eye's centre, in eye half-heights (2 would just meet the lower lid). */
    static final double LID_TRAVEL = 2.8;
    /** From how far above the eye's centre the lid's skin is drawn down, in eye half-heights. */
    static final double LID_REACH = 5;
    /** The lid's skin is drawn from at most this many face sizes above the eye's centre (below the brow). */
    static final double BROW_CLEARANCE = 0.13;
    /** Where the lid's travel turns back to nothing, below the eye's centre, in eye half-heights. */
    static final double LID_TURN = 0.4;
    /** The cavity's soft edge, in pixels inside the inner lips. */
    static final double CAVITY_EDGE = 1.0;
    static final double CAVITY_DEPTH = 0.95;
    /**
     * How far inside the inner lips the cavity's soft edge begins: the reach of the half-resolution upsampling (a full
     * pixel interpolates samples at most 1.5 pixels away on each axis), so the upsampled cavity stays between the lips.
     */
    static final double CAVITY_INSET = 1.5;

    @Override
    public Motion build(Ops tf, Operand<TFloat32> face, Operand<TFloat32> audio, Operand<TFloat32> t, Operand<TFloat32> state,
                        int patchSize) {
        return new Builder(new MotionOps(tf), patchSize).build(face, audio, t, state);
    }

    /** One build: the graph ops for a given patch size. */
    private static final class Builder {

        private final MotionOps m;
        private final Ops tf;
        private final int p;
        private final double cell;

        Builder(MotionOps m, int patchSize) {
            this.m = m;
            this.tf = m.tf();
            this.p = patchSize;
            this.cell = (patchSize - 1) / (double) (GRID - 1);
        }

        /** The face vector's columns, each [B, 1], split once. */
        private List<Output<TFloat32>> columns;
        private final Map<Integer, Operand<TFloat32>> lengths = new HashMap<>();
        private final Map<Integer, Operand<TFloat32>> positions = new HashMap<>();

        private Operand<TFloat32> column(Operand<TFloat32> face, int i) {
            if (columns == null) {
                // why: one split instead of a slice per use: at one session per call, op count is most of the cost
                columns = tf.split(tf.constant(1), face, (long) FaceVector.SIZE).output();
            }
            return columns.get(i);
        }

        /** A face column as a position in patch pixels (index coordinates: pixel centres at integers). */
        private Operand<TFloat32> px(Operand<TFloat32> face, int i) {
            return positions.computeIfAbsent(i, k -> m.add(len(face, k), -0.5));
        }

        /** A face column as a length in patch pixels. */
        private Operand<TFloat32> len(Operand<TFloat32> face, int i) {
            return lengths.computeIfAbsent(i, k -> m.mul(column(face, k), p));
        }

        Motion build(Operand<TFloat32> face, Operand<TFloat32> audio, Operand<TFloat32> t, Operand<TFloat32> state) {
            SpeechShapes.Shapes s = new SpeechShapes(m).build(audio, m.col(state, OPEN), m.col(state, WIDE), m.col(state, ROUND));
            Operand<TFloat32> tt = tf.reshape(t, tf.constant(new int[] {-1, 1}));
            Operand<TFloat32> phase = tf.math.floorMod(m.add(tt, BLINK_PERIOD - FIRST_BLINK), m.c(BLINK_PERIOD));
            Operand<TFloat32> blink = m.gauss(phase, m.c(BLINK_WIDTH));
            // why: the gaussian is centred on phase 0 but phase wraps at the period: add the copy one period on
            blink = m.max(blink, m.gauss(m.add(phase, -BLINK_PERIOD), m.c(BLINK_WIDTH)));

            Geometry g = new Geometry(face, s);
            Head head = new Head(tt, face);

            // ---- the coarse warp: [B, G*G] grids of output positions
            Operand<TFloat32> ox = tf.constant(new float[][] {gridAxis(true)});
            Operand<TFloat32> oy = tf.constant(new float[][] {gridAxis(false)});
            Operand<TFloat32> fade = tf.constant(new float[][] {headFade()});
            Operand<TFloat32>[] q = head.back(ox, oy);
            Operand<TFloat32> hx = m.add(ox, m.mul(fade, m.sub(q[0], ox)));
            Operand<TFloat32> hy = m.add(oy, m.mul(fade, m.sub(q[1], oy)));
            Operand<TFloat32>[] d = g.displacement(hx, hy, blink);
            Operand<TFloat32> ring = tf.constant(new float[][] {innerMask()});
            Operand<TFloat32> wx = m.mul(ring, m.add(m.sub(hx, ox), d[0]));
            Operand<TFloat32> wy = m.mul(ring, m.add(m.sub(hy, oy), d[1]));
            Operand<TFloat32> warp = tf.reshape(tf.stack(List.of(wx, wy), org.tensorflow.op.core.Stack.axis(2L)),
                    tf.constant(new int[] {-1, GRID, GRID, 2}));

            Operand<TFloat32> cavity = g.cavity(head);

            Operand<TFloat32> zero = m.mul(s.loud(), 0);
            Operand<TFloat32> next = tf.concat(List.of(settle(s.open()), settle(s.wide()), settle(s.round()),
                    zero, zero, zero, zero, zero), tf.constant(1));
            return new Motion(warp, cavity, next);
        }

        /** 0 below {@link #SETTLED}, so a state under silence reaches exactly 0 instead of decaying forever. */
        private Operand<TFloat32> settle(Operand<TFloat32> v) {
            return m.mul(v, tf.dtypes.cast(tf.math.greaterEqual(v, m.c(SETTLED)), TFloat32.class));
        }

        /** The head's small motion from the clock, about the pivot: backward map output -> source. */
        private final class Head {
            final Operand<TFloat32> cos;
            final Operand<TFloat32> sin;
            final Operand<TFloat32> inv;
            final Operand<TFloat32> pivotX;
            final Operand<TFloat32> pivotY;
            final Operand<TFloat32> shiftX;
            final Operand<TFloat32> shiftY;

            Head(Operand<TFloat32> tt, Operand<TFloat32> face) {
                // why: every frequency a whole multiple of the idle period's, so the silent avatar loops seamlessly
                double f = IdleMotion.BASE_HZ;
                Operand<TFloat32> roll = m.add(m.wave(tt, 0.026, f, 0), m.wave(tt, 0.012, 3 * f, 1.1));
                cos = tf.math.cos(roll);
                sin = tf.math.sin(roll);
                inv = m.div(m.c(1), m.add(m.wave(tt, 0.005, 2 * f, 0), 1));
                shiftX = m.mul(m.add(m.wave(tt, 0.012, f, 0.4), m.wave(tt, 0.005, 2 * f, 0)), p);
                shiftY = m.mul(m.wave(tt, 0.008, f, 2.0), p);
                pivotX = px(face, PIVOT_X);
                pivotY = px(face, PIVOT_Y);
            }

            /** Source position of output (x, y) under the head motion alone (full strength). */
            @SuppressWarnings("unchecked")
            Operand<TFloat32>[] back(Operand<TFloat32> x, Operand<TFloat32> y) {
                Operand<TFloat32> dx = m.sub(m.sub(x, pivotX), shiftX);
                Operand<TFloat32> dy = m.sub(m.sub(y, pivotY), shiftY);
                Operand<TFloat32> sx = m.add(pivotX, m.mul(inv, m.add(m.mul(cos, dx), m.mul(sin, dy))));
                Operand<TFloat32> sy = m.add(pivotY, m.mul(inv, m.sub(m.mul(cos, dy), m.mul(sin, dx))));
                return new Operand[] {sx, sy};
            }
        }

        /** The face's parts in patch pixels and the mouth's shape this tick. */
        private final class Geometry {
            final Operand<TFloat32> mx;
            final Operand<TFloat32> my;
            final Operand<TFloat32> ux;
            final Operand<TFloat32> uy;
            final Operand<TFloat32> a;
            final Operand<TFloat32> tu;
            final Operand<TFloat32> tl;
            final Operand<TFloat32> halfRest;
            final Operand<TFloat32> offset;
            final Operand<TFloat32> jaw;
            final Operand<TFloat32> size;
            final Operand<TFloat32> chinV;
            final Operand<TFloat32> drop;
            final Operand<TFloat32> lift;
            final Operand<TFloat32> gap;
            final Operand<TFloat32> k;
            final Operand<TFloat32> round;
            final Operand<TFloat32> face;

            Geometry(Operand<TFloat32> face, SpeechShapes.Shapes s) {
                this.face = face;
                mx = px(face, MOUTH_X);
                my = px(face, MOUTH_Y);
                ux = column(face, ROLL_COS);
                uy = column(face, ROLL_SIN);
                a = m.max(len(face, MOUTH_HALF_WIDTH), 1);
                tu = m.max(len(face, UPPER_LIP), 1);
                tl = m.max(len(face, LOWER_LIP), 1);
                halfRest = m.mul(len(face, REST_OPENING), 0.5);
                offset = len(face, LIP_LINE_OFFSET);
                jaw = m.max(len(face, JAW_HALF_WIDTH), a);
                size = m.max(len(face, FACE_SIZE), 1);
                chinV = m.sub(along(px(face, CHIN_X), px(face, CHIN_Y), mx, my), offset);
                round = s.round();
                // why: the gap opens with the jaw; a spread (wide) mouth opens less, a slit
                gap = m.mul(m.mul(a, MAX_GAP), m.mul(s.open(), m.sub(1, m.mul(s.wide(), 0.35))));
                drop = m.mul(gap, DROP_SHARE);
                lift = m.mul(gap, 1 - DROP_SHARE);
                k = m.add(m.sub(m.mul(s.wide(), WIDE_STRETCH), m.mul(s.round(), ROUND_SQUEEZE)), 1);
            }

            /** (p - o) along the eye line. */
            Operand<TFloat32> across(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> ox, Operand<TFloat32> oy) {
                return m.add(m.mul(m.sub(x, ox), ux), m.mul(m.sub(y, oy), uy));
            }

            /** (p - o) along the face axis, down the face. */
            Operand<TFloat32> along(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> ox, Operand<TFloat32> oy) {
                return m.sub(m.mul(m.sub(y, oy), ux), m.mul(m.sub(x, ox), uy));
            }

            /** 1 - (u / half)^2, clipped at 0; rounder (toward the square root) as the mouth rounds. */
            Operand<TFloat32> lens(Operand<TFloat32> u, Operand<TFloat32> half) {
                Operand<TFloat32> l = m.clip01(m.sub(1, m.square(m.div(u, half))));
                Operand<TFloat32> r = m.mul(round, 0.5);
                return m.add(m.mul(l, m.sub(1, r)), m.mul(tf.math.sqrt(m.add(l, 1e-6)), r));
            }

            /** Backward displacement (dx, dy) at head-moved positions (x, y): mouth, jaw and eyelids. */
            @SuppressWarnings("unchecked")
            Operand<TFloat32>[] displacement(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> blink) {
                Operand<TFloat32> u = across(x, y, mx, my);
                Operand<TFloat32> v = m.sub(along(x, y, mx, my), offset);
                Operand<TFloat32> au = m.abs(u);
                Operand<TFloat32> inner = m.mul(a, m.mul(k, INNER_WIDTH));
                // lower lip and jaw: the lens on the lower lip, the jaw's breadth below it, nothing past the chin
                Operand<TFloat32> lipBand = m.fall(m.add(halfRest, m.mul(tl, 0.6)), m.add(halfRest, m.mul(tl, 1.6)), v);
                // why: the jaw's edge is often hair or background; only its middle carries the chin down
                Operand<TFloat32> jawU = m.fall(m.mul(jaw, 0.4), m.mul(jaw, 0.85), au);
                Operand<TFloat32> lipLens = lens(u, inner);
                Operand<TFloat32> lowAmp = m.add(m.mul(lipBand, lipLens), m.mul(m.sub(1, lipBand), m.mul(jawU, CHIN_SHARE)));
                // why: the neck and what is worn below it stay put: the motion ends just past the chin
                Operand<TFloat32> chinFade = m.fall(m.sub(chinV, m.mul(size, 0.05)), m.add(chinV, m.mul(size, 0.12)), v);
                Operand<TFloat32> dvLow = m.neg(m.mul(drop, m.mul(lowAmp, chinFade)));
                // upper lip: lifts as a lens, fading toward the nose
                Operand<TFloat32> upBand = m.fall(m.add(halfRest, tu), m.add(halfRest, m.mul(tu, 2.2)), m.neg(v));
                Operand<TFloat32> dvUp = m.mul(lift, m.mul(lipLens, upBand));
                Operand<TFloat32> below = m.sigmoid(m.mul(v, 4));
                Operand<TFloat32> dv = m.add(m.mul(below, dvLow), m.mul(m.sub(1, below), dvUp));
                // lip corners: spread or pulled in about the mouth centre, across the face
                Operand<TFloat32> around = m.mul(m.fall(a, m.mul(a, 1.8), au),
                        m.gauss(v, m.add(m.add(m.mul(m.add(tu, tl), 0.75), halfRest), 1)));
                Operand<TFloat32> du = m.mul(u, m.mul(m.sub(m.div(m.c(1), k), m.c(1)), around));
                // eyelids
                for (int[] eye : new int[][] {{LEFT_EYE_X, LEFT_EYE_Y}, {RIGHT_EYE_X, RIGHT_EYE_Y}}) {
                    dv = m.add(dv, lid(x, y, px(face, eye[0]), px(face, eye[1]), blink));
                }
                // back from the face's axes to the patch's
                Operand<TFloat32> dx = m.sub(m.mul(du, ux), m.mul(dv, uy));
                Operand<TFloat32> dy = m.add(m.mul(du, uy), m.mul(dv, ux));
                return new Operand[] {dx, dy};
            }

            /**
             * One eye's lid, as a displacement along the face axis: above the eye the field ramps up to the lid's
             * travel (the lid's skin stretches down over the eye), and returns within a grid cell below the eye's
             * centre (the eye is squeezed toward its lower lid).
             */
            Operand<TFloat32> lid(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> ex, Operand<TFloat32> ey,
                                  Operand<TFloat32> blink) {
                Operand<TFloat32> eh = m.max(len(face, EYE_HALF_HEIGHT), 0.5);
                Operand<TFloat32> ew = m.max(len(face, EYE_HALF_WIDTH), 1);
                Operand<TFloat32> u = m.abs(across(x, y, ex, ey));
                Operand<TFloat32> v = along(x, y, ex, ey);
                Operand<TFloat32> acrossEye = m.fall(m.mul(ew, 0.9), m.mul(ew, 1.6), u);
                // why: the lid's skin is drawn from below the brow, never the brow itself (about 0.15 face sizes up)
                Operand<TFloat32> reach = m.min(m.mul(eh, LID_REACH), m.mul(size, BROW_CLEARANCE));
                Operand<TFloat32> down = m.rise(m.neg(reach), m.mul(eh, LID_TURN), v);
                // why: the return takes at least a grid cell (the synthesis interpolates the grid bilinearly); the eye's
                // content is squeezed into it, so the shorter the return, the thinner what is left of the eye
                Operand<TFloat32> back = m.fall(m.mul(eh, LID_TURN), m.add(m.mul(eh, LID_TURN), m.max(m.mul(eh, 1.2), cell)), v);
                // why: the skin above may stretch, never fold: the lid travels at most 0.8 of the ramp it is drawn over
                Operand<TFloat32> travel = m.mul(blink, m.min(m.mul(eh, LID_TRAVEL), m.mul(m.add(reach, m.mul(eh, LID_TURN)), 0.8)));
                return m.neg(m.mul(travel, m.mul(acrossEye, m.mul(down, back))));
            }

            /**
             * The mouth interior, [B, P, P, 1] in output coordinates: the lens between the moved inner lips, computed at
             * half resolution and upsampled bilinearly (a quarter of the work; the interpolation reaches one half-resolution
             * pixel, so the lens is inset by that much and the cavity never crosses the inner lips).
             */
            Operand<TFloat32> cavity(Head head) {
                // why: around the mouth the head motion is at full strength, so output -> head-moved position is the
                // affine map Head.back; its across/along coordinates are affine in (x, y): three [B,1,1] coefficients each
                Operand<TFloat32> zero = m.c(0);
                Operand<TFloat32> one = m.c(1);
                Operand<TFloat32>[] o = head.back(zero, zero);
                Operand<TFloat32>[] ex = head.back(one, zero);
                Operand<TFloat32>[] ey = head.back(zero, one);
                Operand<TFloat32> u0 = across(o[0], o[1], mx, my);
                Operand<TFloat32> v0 = m.sub(along(o[0], o[1], mx, my), offset);
                Operand<TFloat32> ux1 = m.sub(across(ex[0], ex[1], mx, my), across(o[0], o[1], mx, my));
                Operand<TFloat32> uy1 = m.sub(across(ey[0], ey[1], mx, my), across(o[0], o[1], mx, my));
                Operand<TFloat32> vx1 = m.sub(along(ex[0], ex[1], mx, my), along(o[0], o[1], mx, my));
                Operand<TFloat32> vy1 = m.sub(along(ey[0], ey[1], mx, my), along(o[0], o[1], mx, my));
                // why: each plane is one matmul of per-session coefficients [B, 3] with the constant basis (x, y, 1) of
                // the half-resolution samples: the scalings and the inset folded in, one pass over the plane each
                Operand<TFloat32> toLens = m.div(m.c(1), m.mul(a, m.mul(k, INNER_WIDTH)));
                double toEdge = 1 / CAVITY_EDGE;
                double inset = CAVITY_INSET / CAVITY_EDGE;
                Operand<TFloat32> basis = tf.constant(halfBasis());
                Operand<TFloat32> u = plane(m.mul(ux1, toLens), m.mul(uy1, toLens), m.mul(u0, toLens), basis);
                Operand<TFloat32> vIn = plane(m.mul(vx1, toEdge), m.mul(vy1, toEdge), m.add(m.mul(v0, toEdge), inset), basis);
                Operand<TFloat32> vOut = plane(m.mul(vx1, toEdge), m.mul(vy1, toEdge), m.add(m.mul(v0, toEdge), -inset), basis);
                Operand<TFloat32> lens = tf.nn.relu(m.sub(1, m.square(u)));
                Operand<TFloat32> below = m.sub(m.mul(m.mul(m.add(halfRest, drop), toEdge), lens), vIn);
                Operand<TFloat32> above = m.add(m.mul(m.mul(m.add(halfRest, lift), toEdge), lens), vOut);
                Operand<TFloat32> inside = m.clip01(m.min(below, above));
                // why: lips apart in the photo (teeth showing) are not darkened until the mouth actually opens
                Operand<TFloat32> parted = m.mul(m.clip01(m.div(m.sub(gap, m.mul(a, 0.02)), m.mul(a, 0.1))), CAVITY_DEPTH);
                int h = p / 2;
                Operand<TFloat32> half = tf.reshape(m.mul(inside, parted), tf.constant(new int[] {-1, h, h, 1}));
                return tf.image.resizeBilinear(half, tf.constant(new int[] {p, p}), ResizeBilinear.halfPixelCenters(true));
            }

            /** cx * x + cy * y + c0 at every half-resolution sample: [B, (P/2)^2], the coefficients [B, 1]. */
            private Operand<TFloat32> plane(Operand<TFloat32> cx, Operand<TFloat32> cy, Operand<TFloat32> c0, Operand<TFloat32> basis) {
                return tf.linalg.matMul(tf.concat(List.of(cx, cy, c0), tf.constant(1)), basis);
            }
        }

        /** Output positions of the grid, patch pixels, row-major. */
        private float[] gridAxis(boolean x) {
            float[] g = new float[GRID * GRID];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) ((x ? i % GRID : i / GRID) * cell);
            }
            return g;
        }

        /** 1 inside, 0 on the grid's border ring. */
        private static float[] innerMask() {
            float[] g = new float[GRID * GRID];
            for (int i = 0; i < g.length; i++) {
                int r = i / GRID;
                int c = i % GRID;
                g[i] = r == 0 || c == 0 || r == GRID - 1 || c == GRID - 1 ? 0 : 1;
            }
            return g;
        }

        /** The head motion's strength: 1 over the middle of the patch, falling smoothly to 0 before its border. */
        private static float[] headFade() {
            float[] g = new float[GRID * GRID];
            for (int i = 0; i < g.length; i++) {
                double x = Math.abs((i % GRID) / (double) (GRID - 1) * 2 - 1);
                double y = Math.abs((i / GRID) / (double) (GRID - 1) * 2 - 1);
                g[i] = (float) ((1 - smooth(FADE_FROM, FADE_TO, x)) * (1 - smooth(FADE_FROM, FADE_TO, y)));
            }
            return g;
        }

        private static double smooth(double lo, double hi, double x) {
            double s = Math.max(0, Math.min(1, (x - lo) / (hi - lo)));
            return s * s * (3 - 2 * s);
        }

        /**
         * [3, (P/2)^2]: the patch's x and y at each half-resolution sample (the centre of its 2 x 2 block, 2 i + 0.5,
         * where a bilinear resize with half-pixel centres puts it), row-major, and a row of ones.
         */
        private float[][] halfBasis() {
            int h = p / 2;
            float[][] b = new float[3][h * h];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < h; c++) {
                    b[0][r * h + c] = 2 * c + 0.5f;
                    b[1][r * h + c] = 2 * r + 0.5f;
                    b[2][r * h + c] = 1;
                }
            }
            return b;
        }
    }
}
