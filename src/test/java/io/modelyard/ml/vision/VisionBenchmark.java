package io.modelyard.ml.vision;

import ai.djl.nn.Block;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.vision.VisionNetworks.ResNetDepth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out accuracy and time per epoch of a vision network on {@link SyntheticShapes}, with or without
 * augmentation. Not a test: run by hand, e.g.
 * {@code java -cp ... io.modelyard.ml.vision.VisionBenchmark network=resnet18 width=0.25 augment=true}.
 *
 * <p>Arguments ({@code key=value}, defaults in brackets): {@code network} (cnn_small | vgg | resnet18 |
 * resnet34) [cnn_small], {@code width} [1], {@code size} [32], {@code classes} [5], {@code train} [2000],
 * {@code test} [500], {@code epochs} [5], {@code batch} [32], {@code lr} [0.001], {@code dropout} [0.1],
 * {@code augment} [false], {@code schedule} (cosine | fixed) [cosine], {@code seed} [1]. Engine threads come from {@code -Dai.djl.pytorch.num_threads}.
 */
public final class VisionBenchmark {

    private VisionBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String network = options.getOrDefault("network", "cnn_small");
        float width = Float.parseFloat(options.getOrDefault("width", "1"));
        int size = Integer.parseInt(options.getOrDefault("size", "32"));
        int classes = Integer.parseInt(options.getOrDefault("classes", "5"));
        int trainCount = Integer.parseInt(options.getOrDefault("train", "2000"));
        int testCount = Integer.parseInt(options.getOrDefault("test", "500"));
        int epochs = Integer.parseInt(options.getOrDefault("epochs", "5"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "32"));
        float lr = Float.parseFloat(options.getOrDefault("lr", "0.001"));
        float dropout = Float.parseFloat(options.getOrDefault("dropout", "0.1"));
        boolean augment = Boolean.parseBoolean(options.getOrDefault("augment", "false"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        boolean cosine = !"fixed".equals(options.getOrDefault("schedule", "cosine"));

        List<SyntheticShapes.LabelledImage> train = SyntheticShapes.generate(trainCount, size, classes, seed);
        List<SyntheticShapes.LabelledImage> test = SyntheticShapes.generate(testCount, size, classes, seed + 1000);
        byte[][] trainImages = SyntheticShapes.chw(train);
        ChannelStats stats = ChannelStats.fit(List.of(trainImages));
        ImageRows trainRows = augment ? ImageRows.augmented(trainImages, size, stats, seed)
                : new ImageRows(trainImages, size, stats);
        ImageRows testRows = new ImageRows(SyntheticShapes.chw(test), size, stats);
        int[] trainLabels = SyntheticShapes.labels(train);
        int[] testLabels = SyntheticShapes.labels(test);

        Block block = switch (network) {
            case "cnn_small" -> VisionNetworks.cnnSmall(classes, dropout);
            case "vgg" -> VisionNetworks.vgg(classes, dropout, width);
            case "resnet18" -> VisionNetworks.resnet(ResNetDepth.RESNET_18, size, classes, dropout, width);
            case "resnet34" -> VisionNetworks.resnet(ResNetDepth.RESNET_34, size, classes, dropout, width);
            default -> throw new IllegalArgumentException("no network " + network);
        };
        EngineSetup.engine();
        System.out.printf("vision_benchmark network=%s width=%s size=%d classes=%d train=%d test=%d batch=%d lr=%s "
                + "augment=%s schedule=%s threads=%s%n", network, width, size, classes, trainCount, testCount, batch, lr,
                augment, cosine ? "cosine" : "fixed",
                System.getProperty(EngineSetup.INTRA_OP_THREADS));
        try (VisionTraining training = new VisionTraining(block, size, lr,
                cosine ? epochs * ((trainCount + batch - 1) / batch) : 0, seed)) {
            double trainSeconds = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long started = System.nanoTime();
                float loss = training.epoch(trainRows, trainLabels, batch);
                double seconds = (System.nanoTime() - started) / 1e9;
                trainSeconds += seconds;
                double accuracy = training.accuracy(testRows, testLabels, 100);
                System.out.printf("epoch=%d loss=%.4f held_out_accuracy=%.4f epoch_s=%.1f%n", epoch, loss, accuracy,
                        seconds);
            }
            System.out.printf("mean_epoch_s=%.1f%n", trainSeconds / epochs);
        }
    }
}
