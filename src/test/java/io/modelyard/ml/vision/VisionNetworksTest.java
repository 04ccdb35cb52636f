package io.modelyard.ml.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.EngineTests;
import io.modelyard.ml.vision.VisionNetworks.ResNetDepth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VisionNetworksTest extends EngineTests {

    private static final int CLASSES = 5;

    @Test
    void cnnSmallGivesOneLogitPerClass() {
        assertLogits(VisionNetworks.cnnSmall(CLASSES, 0.2f), 32);
    }

    @Test
    void vggGivesOneLogitPerClass() {
        assertLogits(VisionNetworks.vgg(CLASSES, 0.2f, 0.25f), 32);
    }

    /** 32 and 64 take the small-input stem, 128 and 224 the ImageNet one. */
    @ParameterizedTest
    @ValueSource(ints = {32, 64, 128, 224})
    void resnet18GivesOneLogitPerClassAtEverySize(int size) {
        assertLogits(VisionNetworks.resnet(ResNetDepth.RESNET_18, size, CLASSES, 0.2f, 0.125f), size);
    }

    @Test
    void resnet34GivesOneLogitPerClass() {
        assertLogits(VisionNetworks.resnet(ResNetDepth.RESNET_34, 32, CLASSES, 0f, 0.125f), 32);
    }

    @Test
    void resnet34HasMoreBlocksThanResnet18() {
        assertTrue(parameters(VisionNetworks.resnet(ResNetDepth.RESNET_34, 32, CLASSES, 0f, 0.125f), 32)
                > parameters(VisionNetworks.resnet(ResNetDepth.RESNET_18, 32, CLASSES, 0f, 0.125f), 32));
    }

    /** The published ResNet-18 with a 1000-class head has 11.69 million parameters; ours must match it. */
    @Test
    void fullWidthResnet18HasThePublishedParameterCount() {
        long count = parameters(VisionNetworks.resnet(ResNetDepth.RESNET_18, 224, 1000, 0f, 1f), 224);
        // batch norm's running mean and variance are parameters in DJL, not in torchvision's count
        assertEquals(11_689_512, count - runningStatistics(), 0);
    }

    private static long runningStatistics() {
        // stem 64 + stage channels (64·4, 128·4 + 128, 256·4 + 256, 512·4 + 512) batch-norm channels, two statistics each
        long channels = 64 + 64 * 4 + (128 * 4 + 128) + (256 * 4 + 256) + (512 * 4 + 512);
        return 2 * channels;
    }

    private static void assertLogits(Block block, int size) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            block.initialize(manager, DataType.FLOAT32, VisionNetworks.initialShape(size));
            Shape input = new Shape(2, 3, size, size);
            assertEquals(new Shape(2, CLASSES), block.getOutputShapes(new Shape[] {input})[0]);
            NDList out = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(input)), false);
            assertEquals(new Shape(2, CLASSES), out.singletonOrThrow().getShape());
        }
    }

    private static long parameters(Block block, int size) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            block.initialize(manager, DataType.FLOAT32, VisionNetworks.initialShape(size));
            return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        }
    }
}
