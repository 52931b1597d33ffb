package dev.avatarfleet.worker.render.http;

import dev.avatarfleet.common.bench.BenchmarkIterations;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.image.InvalidImageException;
import dev.avatarfleet.worker.render.avatar.AvatarPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.ModelBenchmark;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The worker's diagnostic routes, as in the seed container:
 * <pre>
 * curl -X POST "http://localhost:8090/benchmark?iterations=10"
 *   {"iterations":10,"frames_per_generate":8,"avg_ms":61.2,"fps":130.7,"vram_gb":0.0,"gpu":"cpu","device":"CPU",...}
 * curl http://localhost:8090/test-frame --output frame.jpg              (the default avatar)
 * curl --data-binary @face.jpg http://localhost:8090/test-frame -o f.jpg  (an image as the body, or multipart avatar_image)
 * curl "http://localhost:8090/test-frame?strip=25" --output strip.png    (25 frames as a 5-column PNG)
 * </pre>
 * /benchmark times real model calls on the configured batch (MAX_SESSIONS frames per call) while the
 * render loop keeps running; /test-frame renders a few 40 ms chunks of synthetic speech and returns
 * the last frame. One request of each kind runs at a time (429 otherwise).
 */
public final class RenderHttpService implements HttpService {

    /** Ticks /test-frame renders before answering with the last (mid-syllable, mouth open). */
    static final int TEST_FRAME_TICKS = 13;
    private static final int MAX_STRIP = 50;

    private final AvatarModel model;
    private final AvatarPreparer preparer;
    private final int batchSize;
    private final long maxImageBytes;
    private final Semaphore benchmarking = new Semaphore(1);
    private final Semaphore testing = new Semaphore(1);

    public RenderHttpService(AvatarModel model, AvatarPreparer preparer, int batchSize, long maxImageBytes) {
        this.model = model;
        this.preparer = preparer;
        this.batchSize = batchSize;
        this.maxImageBytes = maxImageBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/benchmark", this::benchmark)
                .get("/test-frame", (req, res) -> testFrame(req, res, null))
                .post("/test-frame", this::testFrameWithImage);
    }

    private void benchmark(ServerRequest req, ServerResponse res) {
        int iterations;
        try {
            iterations = BenchmarkIterations.parse(req.query().first("iterations").orElse(null));
        } catch (IllegalArgumentException e) {
            JsonReply.send(res, ApiException.badRequest("invalid_iterations", e.getMessage()));
            return;
        }
        if (!benchmarking.tryAcquire()) {
            JsonReply.send(res, ApiException.busy("a benchmark is already running on this worker"));
            return;
        }
        try {
            ModelBenchmark.Result r = ModelBenchmark.run(model, (PreparedImage) preparer.prepare(null), batchSize, iterations);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("iterations", r.iterations());
            body.put("frames_per_generate", r.framesPerGenerate());
            body.put("avg_ms", r.avgMs());
            body.put("fps", r.fps());
            body.put("vram_gb", r.vramGb());
            body.put("gpu", r.gpu());
            body.put("device", r.device());
            body.put("width", r.width());
            body.put("height", r.height());
            JsonReply.send(res, Status.OK_200, body);
        } finally {
            benchmarking.release();
        }
    }

    private void testFrameWithImage(ServerRequest req, ServerResponse res) throws IOException {
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxImageBytes + 65_536 + 1));
        }
        if (body.length > maxImageBytes + 65_536) {
            JsonReply.send(res, ApiException.tooLarge("the image is larger than " + maxImageBytes + " bytes"));
            return;
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        byte[] image = body.length == 0 ? null : body;
        if (type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            // why: the boundary is case-sensitive, so it is read from the header as sent
            String boundary = MultipartImage.boundary(type);
            image = boundary == null ? null : MultipartImage.extract(body, boundary);
            if (image == null) {
                JsonReply.send(res, ApiException.badRequest("invalid_image", "the multipart body has no avatar_image or image part"));
                return;
            }
        }
        testFrame(req, res, image);
    }

    private void testFrame(ServerRequest req, ServerResponse res, byte[] image) {
        int strip = 0;
        var stripParam = req.query().first("strip");
        if (stripParam.isPresent()) {
            try {
                strip = Integer.parseInt(stripParam.get().trim());
            } catch (NumberFormatException e) {
                strip = -1;
            }
            if (strip < 1 || strip > MAX_STRIP) {
                JsonReply.send(res, ApiException.badRequest("invalid_strip", "strip must be between 1 and " + MAX_STRIP));
                return;
            }
        }
        PreparedImage avatar;
        try {
            avatar = (PreparedImage) preparer.prepare(image);
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof InvalidImageException iie ? iie.reason().code() : "invalid_image";
            JsonReply.send(res, ApiException.badRequest("invalid_image", "invalid image (" + why + "): " + e.getMessage()));
            return;
        }
        if (!testing.tryAcquire()) {
            JsonReply.send(res, ApiException.busy("a test frame is already being rendered on this worker"));
            return;
        }
        try {
            List<byte[]> frames = TestFrames.talking(model, avatar, strip > 0 ? strip : TEST_FRAME_TICKS);
            if (!avatar.warnings().isEmpty()) {
                res.header("X-Avatar-Warnings", String.join("; ", avatar.warnings()));
            }
            if (strip > 0) {
                res.header(HeaderNames.CONTENT_TYPE, "image/png");
                res.send(png(FrameStrip.grid(frames, avatar.width(), avatar.height(), 5, Math.min(256, avatar.width()))));
            } else {
                res.header(HeaderNames.CONTENT_TYPE, "image/jpeg");
                res.send(jpeg(FrameStrip.toImage(frames.getLast(), avatar.width(), avatar.height())));
            }
        } finally {
            testing.release();
        }
    }

    static byte[] jpeg(BufferedImage img) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var out = new ByteArrayOutputStream();
        try (var ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] png(BufferedImage img) {
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

}
