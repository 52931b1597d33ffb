package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Images with no face, degenerate sizes, and calls from several threads at once. */
class FaceLandmarkerEdgeTest {

    private static FaceLandmarker landmarker;

    @BeforeAll
    static void load() {
        landmarker = FaceLandmarker.load(WeightFiles.classpath(), 2);
    }

    @AfterAll
    static void close() {
        landmarker.close();
    }

    private static BufferedImage plain(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.ORANGE, w, h, Color.BLUE));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void imagesWithoutFacesOfAnySizeGiveNoMainFace() {
        for (int[] size : new int[][] {{1, 1}, {1, 900}, {37, 23}, {640, 480}, {5000, 300}}) {
            FaceAnalysis a = landmarker.analyse(plain(size[0], size[1]));
            assertEquals(List.of(), a.faces(), size[0] + "x" + size[1]);
            assertTrue(a.main().isEmpty());
            assertTrue(a.mainCrop(1.0).isEmpty());
            assertEquals(size[0], a.imageWidth());
        }
    }

    @Test
    void anImageOfAnotherPixelTypeIsReadTheSame() {
        BufferedImage rgb = PhotoSet.read("sample6.jpg");
        BufferedImage bgr = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.dispose();
        FaceAnalysis a = landmarker.analyse(rgb);
        FaceAnalysis b = landmarker.analyse(bgr);
        assertEquals(a.faces().size(), b.faces().size());
        assertEquals(a.main().orElseThrow().landmarks().points(), b.main().orElseThrow().landmarks().points());
    }

    @Test
    void callsFromSeveralThreadsGetWhatOneThreadGets() throws Exception {
        BufferedImage one = PhotoSet.read("sample1.jpg");
        BufferedImage three = PhotoSet.read("sample3.jpg");
        FaceAnalysis wantOne = landmarker.analyse(one);
        FaceAnalysis wantThree = landmarker.analyse(three);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<FaceAnalysis>> got = List.of(pool.submit(() -> landmarker.analyse(one)), pool.submit(() -> landmarker.analyse(three)),
                    pool.submit(() -> landmarker.analyse(one)), pool.submit(() -> landmarker.analyse(three)));
            for (int i = 0; i < got.size(); i++) {
                FaceAnalysis want = i % 2 == 0 ? wantOne : wantThree;
                assertEquals(want.faces(), got.get(i).get().faces(), "call " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
