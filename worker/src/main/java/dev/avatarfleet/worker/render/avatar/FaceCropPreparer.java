package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.common.image.DecodedImage;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.InvalidImageException;
import dev.avatarfleet.common.store.ImageStore;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.FaceLandmarks;
import dev.avatarfleet.worker.face.Point;
import dev.avatarfleet.worker.face.Rect;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@link AvatarPreparer}: decode (refusing bad images before decoding), find the main face and its
 * landmarks ({@link FaceLocator}: landmarks, else a Haar box, else a centred crop), crop head and shoulders around it
 * to the video's aspect, scale to the video size, choose the head region (the {@link PatchRegion}, of the model's side) and the face's geometry in
 * it (the model's face vector: {@link LandmarkFaceVector}, or {@link FallbackFaceVector} without landmarks), and remember the result by the SHA-256 of the bytes in a bounded LRU cache (many sessions
 * share one avatar). Landmarks run here, once per image, never per frame.
 */
public final class FaceCropPreparer implements AvatarPreparer {

    /** The warning put on a task whose image has no detectable face. */
    public static final String NO_FACE_WARNING = FaceLocator.CENTRED_WARNING;
    /** The warning put on a task whose face the landmarker did not find and the Haar cascade did. */
    public static final String HAAR_FALLBACK_WARNING = FaceLocator.HAAR_WARNING;

    private static final Logger LOG = LoggerFactory.getLogger(FaceCropPreparer.class);

    private final ImageDecoder decoder;
    private final FaceLocator locator;
    private final int width;
    private final int height;
    private final int patchSide;
    private final Map<String, PreparedImage> cache;

    /** Without landmarks (the Haar detector alone), with the default patch side ({@link PatchRegion#defaultSize}). */
    public FaceCropPreparer(ImageDecoder decoder, FaceDetector detector, int width, int height, int cacheSize) {
        this(decoder, null, detector, width, height, PatchRegion.defaultSize(width, height), cacheSize);
    }

    /** Without landmarks: the Haar detector alone. */
    public FaceCropPreparer(ImageDecoder decoder, FaceDetector detector, int width, int height, int patchSize, int cacheSize) {
        this(decoder, null, detector, width, height, patchSize, cacheSize);
    }

    /**
     * @param landmarker the face landmarker (owned by the caller), or null to use the Haar detector alone
     * @param detector   the fallback face detector, or null for none (then a centred crop, with a warning)
     * @param patchSize  P, the side of the head region the model renders (the model's)
     * @param cacheSize  how many prepared avatars to keep
     */
    public FaceCropPreparer(ImageDecoder decoder, FaceLandmarker landmarker, FaceDetector detector, int width, int height,
                            int patchSize, int cacheSize) {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("VIDEO_WIDTH and VIDEO_HEIGHT must be positive and even, got " + width + "x" + height);
        }
        if (patchSize < 2 || patchSize % 2 != 0 || patchSize > Math.min(width, height)) {
            throw new IllegalArgumentException("patch side " + patchSize + " must be even and fit the " + width + "x" + height + " frame");
        }
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.locator = new FaceLocator(landmarker, detector);
        this.width = width;
        this.height = height;
        this.patchSide = patchSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedImage> eldest) {
                return size() > cacheSize;
            }
        };
    }

    @Override
    public PreparedImage prepare(byte[] imageBytes) {
        boolean isDefault = imageBytes == null;
        byte[] bytes = isDefault ? DefaultAvatar.png() : imageBytes;
        // why: the same hash the image store keys the bytes by, so a session's image and its cache entry agree
        String hash = ImageStore.sha256(bytes);
        synchronized (cache) {
            PreparedImage hit = cache.get(hash);
            if (hit != null) {
                return hit;
            }
        }
        PreparedImage prepared = build(bytes, hash, isDefault);
        synchronized (cache) {
            cache.put(hash, prepared);
        }
        return prepared;
    }

    /**
     * Prepares the default avatar once more, as a JPEG through the path an uploaded image takes (decoder,
     * face detector, crop, scaling), and keeps nothing: the first session's own image then meets warm code.
     */
    public void warmUp() {
        try {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(DefaultAvatar.png()));
            BufferedImage rgb = new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.drawImage(png, 0, 0, null);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            if (!ImageIO.write(rgb, "jpg", jpeg)) {
                throw new IllegalStateException("no JPEG writer");
            }
            byte[] bytes = jpeg.toByteArray();
            build(bytes, ImageStore.sha256(bytes), false);
        } catch (IOException | RuntimeException e) {
            // why: a warm-up that fails only costs the first session its cold start; the worker still runs
            LOG.warn("avatar preparer warm-up failed", e);
        }
    }

    /** How many prepared avatars are cached now. */
    public int cached() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private PreparedImage build(byte[] bytes, String hash, boolean isDefault) {
        DecodedImage decoded;
        try {
            decoded = decoder.decode(bytes);
        } catch (InvalidImageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        BufferedImage img = decoded.pixels();
        int w = img.getWidth();
        int h = img.getHeight();
        double aspect = width / (double) height;
        FacePlacement place = isDefault
                // why: the drawn default avatar's parts are known exactly; no detector needed
                ? new FacePlacement(Crop.centred(w, h, aspect, 0.5), null, DefaultAvatar.GEOMETRY, List.of())
                : locator.locate(img, aspect, hash.substring(0, 12));
        Crop crop = place.crop();
        UnaryOperator<Point> toFrame = p -> crop.toFrame(p, width, height);
        FaceGeometry geometry;
        PatchRegion patch;
        float[] vector;
        if (place.landmarks() != null) {
            FaceLandmarks l = place.landmarks();
            geometry = FaceGeometry.fromLandmarks(l, toFrame, width, height);
            // why: the patch is centred between the eyes and the chin, so it holds brows to chin with room for the jaw
            Point centre = toFrame.apply(l.leftEyeCentre().mid(l.rightEyeCentre()).mid(l.chin()));
            patch = PatchRegion.around(centre.x(), centre.y(), patchSide, width, height);
            PatchRegion at = patch;
            vector = LandmarkFaceVector.of(l, p -> {
                Point f = toFrame.apply(p);
                return new Point(f.x() - at.x(), f.y() - at.y());
            }, patchSide);
        } else {
            geometry = place.proportions() == null ? FaceGeometry.CENTRED : crop.map(place.proportions(), w, h);
            patch = PatchRegion.around(geometry.mouthX() * width, (geometry.eyeY() + geometry.mouthY()) / 2 * height, patchSide, width,
                    height);
            vector = FallbackFaceVector.of(geometry, patch, width, height);
        }
        byte[] rgb = scaleToRgb(img, crop, width, height);
        return PreparedImage.of(hash, place.warnings(), width, height, rgb, geometry, patch, vector,
                new Rect(crop.x(), crop.y(), crop.w(), crop.h()));
    }

    private static byte[] scaleToRgb(BufferedImage src, Crop c, int tw, int th) {
        BufferedImage cur = src.getSubimage((int) Math.floor(c.x()), (int) Math.floor(c.y()),
                Math.max(1, (int) Math.min(src.getWidth() - Math.floor(c.x()), Math.round(c.w()))),
                Math.max(1, (int) Math.min(src.getHeight() - Math.floor(c.y()), Math.round(c.h()))));
        // why: halve first while far above the target; one bicubic step from 4000 px to 512 aliases badly
        while (cur.getWidth() >= tw * 2 && cur.getHeight() >= th * 2) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        BufferedImage out = draw(cur, tw, th);
        int[] px = out.getRGB(0, 0, tw, th, null, 0, tw);
        byte[] rgb = new byte[tw * th * 3];
        for (int i = 0; i < px.length; i++) {
            rgb[3 * i] = (byte) (px[i] >> 16);
            rgb[3 * i + 1] = (byte) (px[i] >> 8);
            rgb[3 * i + 2] = (byte) px[i];
        }
        return rgb;
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
