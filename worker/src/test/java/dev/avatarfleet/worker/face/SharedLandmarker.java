package dev.avatarfleet.worker.face;

/** One landmarker per test JVM for the tests that only use it (loading one and its first run cost seconds). */
public final class SharedLandmarker {

    private static FaceLandmarker landmarker;

    private SharedLandmarker() {
    }

    public static synchronized FaceLandmarker get() {
        if (landmarker == null) {
            FaceLandmarker l = FaceLandmarker.load(WeightFiles.classpath(), 2);
            Runtime.getRuntime().addShutdownHook(new Thread(l::close));
            landmarker = l;
        }
        return landmarker;
    }
}
