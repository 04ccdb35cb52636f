package io.modelyard.serving.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.ModelShape;
import io.modelyard.ml.artifact.ArtifactManifest;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.nn.Networks;
import io.modelyard.ml.text.TextPreprocessing;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmark's floor: a bare DJL predictor loop, in process, on the same artifact, texts and engine threads as
 * the platform. Each thread owns a {@link Predictor} and calls it with one text at a time (tokenize with the
 * artifact's vocabulary, one forward pass, softmax) for a fixed time. No HTTP, JSON, cache or batching.
 *
 * <pre>java -cp ... io.modelyard.serving.bench.BareDjlPredictLoop &lt;artifact.zip&gt; &lt;texts.txt&gt; &lt;threads&gt; &lt;seconds&gt;</pre>
 *
 * Prints {@code predictions_per_s=} and {@code p99_ms=}.
 */
public final class BareDjlPredictLoop {

    private BareDjlPredictLoop() {
    }

    public static void main(String[] args) throws Exception {
        ModelArtifact artifact = ModelArtifact.read(Files.readAllBytes(Path.of(args[0])));
        List<String> texts = Files.readAllLines(Path.of(args[1]));
        int threads = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        ArtifactManifest manifest = artifact.manifest();
        TextPreprocessing preprocessing = (TextPreprocessing) artifact.preprocessing();
        ModelShape shape = new ModelShape(manifest.task(), manifest.architecture(), manifest.hyperparameters(),
                manifest.inputSize(), manifest.labels().size());
        Block block = Networks.build(shape);
        try (Model model = Model.newInstance("bare", EngineSetup.device(), EngineSetup.ENGINE_NAME)) {
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(artifact.weights())));
            model.setBlock(block);
            NoBatchifyTranslator<String, float[]> translator = new NoBatchifyTranslator<>() {
                @Override
                public NDList processInput(TranslatorContext ctx, String text) {
                    return preprocessing.encoding().rows(List.of(text)).batch(ctx.getNDManager(),
                            EncodedRows.inOrder(1), 0, 1);
                }

                @Override
                public float[] processOutput(TranslatorContext ctx, NDList list) {
                    return list.head().softmax(1).toFloatArray();
                }
            };
            run(model, translator, texts, threads, 2);
            long[][] latencies = run(model, translator, texts, threads, seconds);
            long count = Arrays.stream(latencies).mapToLong(l -> l.length).sum();
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf("predictions_per_s=%.1f%n", count / (double) seconds);
            System.out.printf("p99_ms=%.3f%n", all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)]
                    / 1e6);
        }
    }

    private static long[][] run(Model model, NoBatchifyTranslator<String, float[]> translator, List<String> texts,
            int threads, long seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        long[][] latencies = new long[threads][];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                try (Predictor<String, float[]> predictor = model.newPredictor(translator)) {
                    int i = thread;
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        predictor.predict(texts.get(i++ % texts.size()));
                        mine.add(System.nanoTime() - start);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    latencies[thread] = mine.stream().mapToLong(Long::longValue).toArray();
                    done.countDown();
                }
            }).start();
        }
        Thread.sleep(seconds * 1000);
        stop.set(true);
        done.await();
        return latencies;
    }
}
