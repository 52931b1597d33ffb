package dev.avatarfleet.worker.render.model;

/**
 * The layout of the v2 model's {@code face} input: the geometry of the main face, 24 floats per session, in the
 * patch's pixel frame as fractions of its side P (x right, y down), from the 68 landmarks (iBUG layout). A fallback
 * without landmarks fills the same vector from the face box with {@code FaceGeometry}'s proportions, roll 0, and
 * {@link #SOURCE} 0. The contract: /work/briefs/render-contract.md, "{@code face} [24]".
 */
public final class FaceVector {

    /** Floats per session. */
    public static final int SIZE = 24;

    /** Mouth centre x, y: midpoint of the mouth corners 48 and 54. */
    public static final int MOUTH_X = 0;
    public static final int MOUTH_Y = 1;
    /** Mouth half-width |48-54| / 2. */
    public static final int MOUTH_HALF_WIDTH = 2;
    /** Upper lip thickness |51-62|. */
    public static final int UPPER_LIP = 3;
    /** Lower lip thickness |66-57|. */
    public static final int LOWER_LIP = 4;
    /** Rest opening |62-66| (lips already apart in the photo). */
    public static final int REST_OPENING = 5;
    /** Roll cos, sin: the unit vector along the eye line (left eye centre to right eye centre). */
    public static final int ROLL_COS = 6;
    public static final int ROLL_SIN = 7;
    /** Left eye centre x, y: mean of 36-41. */
    public static final int LEFT_EYE_X = 8;
    public static final int LEFT_EYE_Y = 9;
    /** Right eye centre x, y: mean of 42-47. */
    public static final int RIGHT_EYE_X = 10;
    public static final int RIGHT_EYE_Y = 11;
    /** Eye half-width: mean over both eyes of |corner-corner| / 2. */
    public static final int EYE_HALF_WIDTH = 12;
    /** Eye half-height: mean openness (eyelid distance / 2). */
    public static final int EYE_HALF_HEIGHT = 13;
    /** Head pivot x, y: the point the head turns about, below the chin along the face axis (neck). */
    public static final int PIVOT_X = 14;
    public static final int PIVOT_Y = 15;
    /** Face size: distance between the eye centres' midpoint and the chin (8). */
    public static final int FACE_SIZE = 16;
    /** Chin x, y: point 8. */
    public static final int CHIN_X = 17;
    public static final int CHIN_Y = 18;
    /** Jaw half-width |4-12| / 2. */
    public static final int JAW_HALF_WIDTH = 19;
    /**
     * Lip line offset (slot 20, reserved in the contract, taken by render-face; the lead is told): where the lips meet
     * at the centre (midpoint of 62 and 66), along the face axis from the mouth centre, positive down the face.
     */
    public static final int LIP_LINE_OFFSET = 20;
    /** 21..22: reserved, 0 (extend only through the lead). */
    public static final int RESERVED_FIRST = 21;
    /** 1 = from landmarks, 0 = fallback proportions (Haar box or centred crop). */
    public static final int SOURCE = 23;

    private FaceVector() {
    }
}
