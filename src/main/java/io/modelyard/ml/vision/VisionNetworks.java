package io.modelyard.ml.vision;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Image classifiers trained from scratch, built from DJL's own blocks. Every network reads float32 NCHW
 * {@code [B, 3, S, S]} (normalised RGB, see {@link ImageRows}) and returns {@code [B, classes]} logits, without
 * softmax. They end in a global average pool, so the parameters do not depend on {@code S}: any size from the
 * smallest a network accepts works, though a model serves best at the size it was trained at.
 */
public final class VisionNetworks {

    /** ResNet's stem keeps full resolution up to this size; larger inputs get the ImageNet stem. */
    public static final int SMALL_INPUT = 64;

    /** Every convolution's channel count is a multiple of this (see {@link #scaled}). */
    static final int CHANNEL_MULTIPLE = 16;

    private static final int[] CNN_SMALL_CHANNELS = {32, 64, 128};
    private static final int[] VGG_CHANNELS = {32, 64, 128, 256};
    private static final int[] RESNET_CHANNELS = {64, 128, 256, 512};

    private VisionNetworks() {
    }

    /** Basic-block ResNets: the number of residual blocks in each of the four stages. */
    public enum ResNetDepth {
        RESNET_18(2, 2, 2, 2),
        RESNET_34(3, 4, 6, 3);

        private final int[] blocksPerStage;

        ResNetDepth(int... blocksPerStage) {
            this.blocksPerStage = blocksPerStage;
        }

        public int[] blocksPerStage() {
            return blocksPerStage.clone();
        }
    }

    /** The shape to initialise any of these networks with: one image of {@code size}×{@code size}. */
    public static Shape initialShape(int size) {
        return new Shape(1, 3, size, size);
    }

    /**
     * Three stages of conv3x3-BN-ReLU-maxpool (32, 64, 128 channels), global average pool, dropout, linear: a
     * few minutes of CPU at 32×32. Needs {@code S >= 8}.
     */
    public static Block cnnSmall(int classes, float dropout) {
        SequentialBlock net = new SequentialBlock();
        for (int channels : CNN_SMALL_CHANNELS) {
            net.add(convBnRelu(channels, 3, 1)).add(maxPool2x2());
        }
        return net.add(classifier(classes, dropout));
    }

    /**
     * VGG-style: four stages of two conv3x3-BN-ReLU and a 2×2 max pool, with 32, 64, 128, 256 channels times
     * {@code width} (rounded to multiples of 16); then global average pool, a hidden linear layer as wide as the last stage, dropout, linear.
     * Batch norm (absent from the original VGG) is what lets it train from scratch without a warm-up schedule.
     * Needs {@code S >= 16}.
     */
    public static Block vgg(int classes, float dropout, float width) {
        SequentialBlock net = new SequentialBlock();
        int last = 0;
        for (int base : VGG_CHANNELS) {
            last = scaled(base, width);
            net.add(convBnRelu(last, 3, 1)).add(convBnRelu(last, 3, 1)).add(maxPool2x2());
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(last).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * ResNet with basic blocks, 64-128-256-512 channels times {@code width}. The stem depends on the input size:
     * up to {@link #SMALL_INPUT} a 3×3 stride-1 convolution and no pooling (the CIFAR variant: the ImageNet stem
     * would shrink a 32×32 image to 8×8 before the first residual block); above it the standard 7×7 stride-2
     * convolution and 3×3 stride-2 max pool.
     *
     * @param imageSize the side {@code S} the network is built for (chooses the stem only)
     * @param width     channel multiplier: 1 is the published network; tests use 1/4 (channels are rounded to
     *                  multiples of 16)
     */
    public static Block resnet(ResNetDepth depth, int imageSize, int classes, float dropout, float width) {
        SequentialBlock net = new SequentialBlock();
        int channels = scaled(RESNET_CHANNELS[0], width);
        if (imageSize <= SMALL_INPUT) {
            net.add(convBnRelu(channels, 3, 1));
        } else {
            net.add(convBnRelu(channels, 7, 2))
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        }
        int inChannels = channels;
        int[] blocks = depth.blocksPerStage;
        for (int stage = 0; stage < blocks.length; stage++) {
            int outChannels = scaled(RESNET_CHANNELS[stage], width);
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                net.add(basicBlock(inChannels, outChannels, stride));
                inChannels = outChannels;
            }
        }
        return net.add(classifier(classes, dropout));
    }

    /**
     * conv3x3(stride)-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU. The shortcut is the identity when the
     * shape is kept, else a strided 1×1 projection with batch norm (ResNet's option B).
     */
    private static Block basicBlock(int inChannels, int outChannels, int stride) {
        SequentialBlock residual = new SequentialBlock()
                .add(convBnRelu(outChannels, 3, stride))
                .add(conv(outChannels, 3, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = stride == 1 && inChannels == outChannels ? Blocks.identityBlock()
                : new SequentialBlock().add(conv(outChannels, 1, stride)).add(BatchNorm.builder().build());
        ParallelBlock sum = new ParallelBlock(
                branches -> new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                List.of(residual, shortcut));
        return new SequentialBlock().add(sum).add(Activation.reluBlock());
    }

    private static Block classifier(int classes, float dropout) {
        return new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block convBnRelu(int channels, int kernel, int stride) {
        return new SequentialBlock()
                .add(conv(channels, kernel, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** A "same" convolution (output size = input size / stride); no bias, as batch norm follows. */
    private static Block conv(int channels, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(channels)
                .optBias(false)
                .build();
    }

    private static Block maxPool2x2() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    private static int scaled(int channels, float width) {
        if (!(width > 0)) {
            throw new IllegalArgumentException("width must be positive, was " + width);
        }
        // Multiples of 16: with other channel counts (12, 24; 8 now and then) PyTorch 2.5.1's CPU convolutions
        // gave NaN losses in the first steps of a ResNet (bench: NanRepro, 8 of 8 runs at 12 channels, 0 at 16).
        return CHANNEL_MULTIPLE * Math.max(1, Math.round(channels * width / CHANNEL_MULTIPLE));
    }
}
