package io.modelyard.ml.vision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.vision.VisionNetworks.ResNetDepth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The networks learn from {@link ImageRows}: held-out accuracy for cnn_small, a falling loss for the others. */
class VisionTrainingTest extends io.modelyard.ml.EngineTests {

    private static final int SIZE = 32;
    private static final int CLASSES = 4;

    /**
     * 1000 images, 15 epochs of Adam from 3e-3 down a cosine: about 480 steps, 15 to 50 s on one shared core.
     * (At a fixed 1e-3 the same budget ends near 0.8.)
     */
    @Test
    void cnnSmallLearnsTheShapes() {
        int epochs = 15;
        int batch = 32;
        List<SyntheticShapes.LabelledImage> train = SyntheticShapes.generate(1000, SIZE, CLASSES, 1);
        List<SyntheticShapes.LabelledImage> test = SyntheticShapes.generate(200, SIZE, CLASSES, 2);
        byte[][] trainImages = SyntheticShapes.chw(train);
        ChannelStats stats = ChannelStats.fit(List.of(trainImages));
        ImageRows trainRows = new ImageRows(trainImages, SIZE, stats);
        ImageRows testRows = new ImageRows(SyntheticShapes.chw(test), SIZE, stats);
        int steps = epochs * ((train.size() + batch - 1) / batch);
        try (VisionTraining training = new VisionTraining(VisionNetworks.cnnSmall(CLASSES, 0.1f), SIZE, 3e-3f, steps,
                5)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                training.epoch(trainRows, SyntheticShapes.labels(train), batch);
            }
            double accuracy = training.accuracy(testRows, SyntheticShapes.labels(test), 100);
            System.out.println("cnn_small held-out accuracy " + accuracy);
            assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy);
        }
    }

    @Test
    void tinyResnetLossFalls() {
        assertLossFalls(VisionNetworks.resnet(ResNetDepth.RESNET_18, SIZE, CLASSES, 0f, 0.125f));
    }

    @Test
    void tinyVggLossFalls() {
        assertLossFalls(VisionNetworks.vgg(CLASSES, 0f, 0.25f));
    }

    /** Repeated steps on one batch: the loss must fall well below its start (a broken backward would not). */
    private static void assertLossFalls(Block block) {
        List<SyntheticShapes.LabelledImage> images = SyntheticShapes.generate(32, SIZE, CLASSES, 3);
        byte[][] chw = SyntheticShapes.chw(images);
        ImageRows rows = ImageRows.augmented(chw, SIZE, ChannelStats.fit(List.of(chw)), 4);
        int[] order = EncodedRows.inOrder(chw.length);
        int[] labels = SyntheticShapes.labels(images);
        try (VisionTraining training = new VisionTraining(block, SIZE, 1e-3f, 0, 6)) {
            float first = training.step(rows, labels, order, 0, order.length);
            float last = first;
            for (int step = 0; step < 15; step++) {
                last = training.step(rows, labels, order, 0, order.length);
            }
            assertTrue(last < 0.7f * first, "loss from " + first + " to " + last);
        }
    }
}
