package io.modelyard.ml.vision;

import io.modelyard.ml.EncodedRows;
import java.util.List;

/**
 * Counts ResNet-18 runs whose loss stops being a number within 25 Adam steps on one batch of 32 shapes, at a
 * channel width: {@code NanRepro <width> <runs>}. Before channels were rounded to multiples of 16, width 0.1875
 * (12 channels first) failed 8 of 8 runs at step 0 and 0.125 (8) 4 of 8 later on; 0.25 and 1.0 never did.
 */
public final class NanRepro {

    private NanRepro() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        float width = Float.parseFloat(args[0]);
        int runs = Integer.parseInt(args[1]);
        List<SyntheticShapes.LabelledImage> images = SyntheticShapes.generate(32, 32, 5, 3);
        byte[][] chw = SyntheticShapes.chw(images);
        int[] labels = SyntheticShapes.labels(images);
        int[] order = EncodedRows.inOrder(chw.length);
        int failed = 0;
        for (int run = 0; run < runs; run++) {
            ImageRows rows = new ImageRows(chw, 32, ChannelStats.fit(List.of(chw)));
            var block = VisionNetworks.resnet(VisionNetworks.ResNetDepth.RESNET_18, 32, 5, 0f, width);
            try (VisionTraining training = new VisionTraining(block, 32, 1e-3f, 0, 6)) {
                for (int step = 0; step < 25; step++) {
                    if (!Float.isFinite(training.step(rows, labels, order, 0, order.length))) {
                        System.out.println("run " + run + ": loss not a number at step " + step);
                        failed++;
                        break;
                    }
                }
            }
        }
        System.out.println("width " + width + ": " + failed + " of " + runs + " runs diverged");
    }
}
