package dev.avatarfleet.api.fuzz;

import dev.avatarfleet.common.image.ImageHeader;
import dev.avatarfleet.common.image.ImageInspector;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.image.InvalidImageException;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the image header readers of {@code common/image} (JPEG, PNG, WebP, EXIF orientation): any bytes
 * are either refused with an {@link InvalidImageException} or read into a header whose declared size is
 * within the limits. Seeds and every crash ever found: {@code ImageHeaderFuzzTestInputs/}.
 *
 * <p>why here, not in common: every fuzz target shares one Jazzer JVM in the regression run, whose agent
 * takes some 20 s to load; a second module with targets would pay it again on every build.
 */
class ImageHeaderFuzzTest {
    private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 4_000_000, 4096);
    private static final ImageInspector INSPECTOR = new ImageInspector(LIMITS);

    @FuzzTest(maxDuration = "15s")
    void header(byte[] bytes) {
        try {
            ImageHeader header = INSPECTOR.inspect(bytes);
            assertTrue(header.width() > 0 && header.width() <= LIMITS.maxSide(), header.toString());
            assertTrue(header.height() > 0 && header.height() <= LIMITS.maxSide(), header.toString());
            assertTrue((long) header.width() * header.height() <= LIMITS.maxPixels(), header.toString());
        } catch (InvalidImageException refused) {
            // a documented refusal
        }
    }
}
