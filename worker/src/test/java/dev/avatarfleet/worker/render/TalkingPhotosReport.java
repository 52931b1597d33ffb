package dev.avatarfleet.worker.render;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.PhotoSet;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.LegacyFaceMotion;
import dev.avatarfleet.worker.render.model.ModelFrames;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Before and after on the photo set, judged by {@link TalkingJudge} from the rendered frames: before = main's placement
 * (the Haar box and its proportions) with main's motion ({@link LegacyFaceMotion}, its v2 reproduction); after = the
 * landmark placement with {@link dev.avatarfleet.worker.render.model.LandmarkFaceMotion} (the worker's default).
 * Usage: {@code TalkingPhotosReport [before] [after]} (both by default); prints one line per variant and the counts.
 */
public final class TalkingPhotosReport {

    private TalkingPhotosReport() {
    }

    public static void main(String[] args) throws Exception {
        List<String> modes = args.length == 0 ? List.of("before", "after") : List.of(args);
        int size = 512;
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
        int p = PatchRegion.defaultSize(size, size);
        try (FaceLandmarker landmarker = FaceLandmarker.load();
             AvatarModel landmark = AvatarModel.open(Files.createTempDirectory("landmark-model"), p, 0);
             AvatarModel legacy = AvatarModel.open(Files.createTempDirectory("legacy-model"), p, 0, new LegacyFaceMotion());
             ModelFrames afterFrames = new ModelFrames(landmark);
             ModelFrames beforeFrames = new ModelFrames(legacy)) {
            TalkingJudge judge = new TalkingJudge(landmarker);
            for (String mode : modes) {
                boolean after = mode.equals("after");
                FaceCropPreparer prep = new FaceCropPreparer(decoder, after ? landmarker : null, new HaarFaceDetector(), size, size, p, 2);
                TalkingJudge.Renderer renderer = TalkingRenderers.of(after ? afterFrames : beforeFrames);
                List<TalkingJudge.Verdict> verdicts = new ArrayList<>();
                for (PhotoSet.Photo photo : PhotoSet.PHOTOS) {
                    for (PhotoSet.Variant v : PhotoSet.variants(photo)) {
                        PreparedImage avatar = prep.prepare(TalkingRenderers.jpeg(v.image()));
                        TalkingJudge.Verdict verdict = judge.judge(v.name(), avatar, renderer, v.map().apply(photo.face()));
                        verdicts.add(verdict);
                        System.out.println(mode + " " + verdict + (avatar.warnings().isEmpty() ? "" : " " + avatar.warnings()));
                    }
                }
                System.out.printf("%s: %d of %d pass (main face %d, opens %d, closes %d, on the mouth %d, blinks %d)%n", mode,
                        verdicts.stream().filter(TalkingJudge.Verdict::passes).count(), verdicts.size(),
                        verdicts.stream().filter(TalkingJudge.Verdict::mainFace).count(),
                        verdicts.stream().filter(TalkingJudge.Verdict::opens).count(),
                        verdicts.stream().filter(TalkingJudge.Verdict::closes).count(),
                        verdicts.stream().filter(TalkingJudge.Verdict::isOnMouth).count(),
                        verdicts.stream().filter(TalkingJudge.Verdict::blinks).count());
            }
        }
    }
}
