package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.common.image.DecodedImage;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.InvalidImageException;
import dev.avatarfleet.common.store.ImageStore;
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
import java.util.Optional;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@link AvatarPreparer}: decode (refusing bad images before decoding), find the face,
 * crop around it to the video's aspect, scale to the video size, and remember the result by the
 * SHA-256 of the bytes in a bounded LRU cache (many sessions share one avatar).
 */
public final class FaceCropPreparer implements AvatarPreparer {

    /** The warning put on a task whose image has no detectable face. */
    public static final String NO_FACE_WARNING = "no face detected in the avatar image: placed by a centred crop";

    private static final Logger LOG = LoggerFactory.getLogger(FaceCropPreparer.class);

    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final int width;
    private final int height;
    private final int patchSize;
    private final Map<String, PreparedImage> cache;

    /** As below, with the default patch side for the video size ({@link PatchRegion#defaultSize}). */
    public FaceCropPreparer(ImageDecoder decoder, FaceDetector detector, int width, int height, int cacheSize) {
        this(decoder, detector, width, height, PatchRegion.defaultSize(width, height), cacheSize);
    }

    /**
     * @param detector   the face detector, or null to always use a centred crop (with a warning)
     * @param patchSize  P, the side of the head region the model renders (the model's)
     * @param cacheSize  how many prepared avatars to keep
     */
    public FaceCropPreparer(ImageDecoder decoder, FaceDetector detector, int width, int height, int patchSize, int cacheSize) {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("VIDEO_WIDTH and VIDEO_HEIGHT must be positive and even, got " + width + "x" + height);
        }
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.detector = detector;
        this.width = width;
        this.height = height;
        if (patchSize < 2 || patchSize % 2 != 0 || patchSize > Math.min(width, height)) {
            throw new IllegalArgumentException("patch side " + patchSize + " must be even and fit the " + width + "x" + height + " frame");
        }
        this.patchSize = patchSize;
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
        List<String> warnings = List.of();
        Crop crop;
        FaceGeometry source; // fractions of the source image
        if (isDefault) {
            crop = Crop.centred(w, h, aspect, 0.5);
            source = DefaultAvatar.GEOMETRY;
        } else {
            Optional<FaceDetector.FaceBox> face = detector == null ? Optional.empty() : detector.detect(img);
            if (face.isPresent()) {
                FaceDetector.FaceBox f = face.get();
                crop = Crop.around(w, h, aspect, f.x() + f.width() / 2.0, f.y() + 0.55 * f.height(), 2.3 * f.width());
                source = FaceGeometry.fromFaceBox(f.x() / (double) w, f.y() / (double) h, f.width() / (double) w, f.height() / (double) h);
            } else {
                crop = Crop.centred(w, h, aspect, 0.45);
                source = null;
                warnings = List.of(NO_FACE_WARNING);
                LOG.atInfo().log(() -> "no face found in avatar " + hash.substring(0, 12) + "; centred crop");
            }
        }
        FaceGeometry geometry = source == null ? FaceGeometry.CENTRED : crop.map(source, w, h);
        byte[] rgb = scaleToRgb(img, crop, width, height);
        return PreparedImage.of(hash, warnings, width, height, rgb, geometry, patchSize);
    }

    /** A crop rectangle in source pixels. */
    record Crop(double x, double y, double w, double h) {

        static Crop centred(int iw, int ih, double aspect, double centreY) {
            double cw = Math.min(iw, ih * aspect);
            double ch = cw / aspect;
            return clamp(iw, ih, iw / 2.0 - cw / 2, ih * centreY - ch / 2, cw, ch);
        }

        static Crop around(int iw, int ih, double aspect, double cx, double cy, double wantW) {
            double cw = Math.min(wantW, Math.min(iw, ih * aspect));
            double ch = cw / aspect;
            return clamp(iw, ih, cx - cw / 2, cy - ch / 2, cw, ch);
        }

        private static Crop clamp(int iw, int ih, double x, double y, double w, double h) {
            return new Crop(Math.max(0, Math.min(iw - w, x)), Math.max(0, Math.min(ih - h, y)), w, h);
        }

        FaceGeometry map(FaceGeometry g, int iw, int ih) {
            return new FaceGeometry(
                    (float) ((g.mouthX() * iw - x) / w), (float) ((g.mouthY() * ih - y) / h),
                    (float) (g.mouthRx() * iw / w), (float) (g.mouthRy() * ih / h),
                    (float) ((g.eyeY() * ih - y) / h), (float) (g.eyeDx() * iw / w));
        }
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
