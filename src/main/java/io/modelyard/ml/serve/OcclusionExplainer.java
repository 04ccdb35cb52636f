package io.modelyard.ml.serve;

import io.modelyard.ml.ModelOutputs;
import io.modelyard.ml.text.TextEncoding;
import io.modelyard.ml.text.Vocabulary;
import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.TokenAttribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Attribution by occlusion: the text, and the text without each of its tokens in turn, go through the model in
 * one batch; a token's attribution is how much the predicted class's probability drops without it.
 */
final class OcclusionExplainer {

    private final TextEncoding encoding;
    private final int maxLength;
    private final boolean keepsLastTokens;

    OcclusionExplainer(TextEncoding encoding, int maxLength, boolean keepsLastTokens) {
        this.encoding = encoding;
        this.maxLength = maxLength;
        this.keepsLastTokens = keepsLastTokens;
    }

    /**
     * @param probabilities runs the model on encoded texts and gives row-major class probabilities
     */
    Explanation explain(String text, int topTokens, List<String> labels,
            Function<List<int[]>, float[]> probabilities) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("text must not be empty", "text", 0);
        }
        List<String> tokens = encoding.tokenizer().tokenize(text);
        if (tokens.isEmpty()) {
            throw new InvalidInputException("text has no words to explain", "text", 0);
        }
        int kept = Math.min(tokens.size(), maxLength);
        int skip = keepsLastTokens ? tokens.size() - kept : 0;
        List<String> seen = tokens.subList(skip, skip + kept);
        int[] ids = encoding.encodeTokens(seen);
        List<int[]> variants = new ArrayList<>(kept + 1);
        variants.add(ids);
        for (int i = 0; i < kept; i++) {
            // encoded again without the word, so its hashed n-grams (if any) go with it
            variants.add(kept == 1 ? new int[] {Vocabulary.UNK} : encoding.encodeTokens(without(seen, i)));
        }
        int classes = labels.size();
        float[] p = probabilities.apply(variants);
        int label = ModelOutputs.argmax(p, classes)[0];
        double base = p[label];
        List<TokenAttribution> attributions = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            attributions.add(new TokenAttribution(seen.get(i), skip + i, base - p[(i + 1) * classes + label]));
        }
        attributions.sort(Comparator.comparingDouble(TokenAttribution::attribution).reversed()
                .thenComparingInt(TokenAttribution::position));
        return new Explanation(labels.get(label), base,
                List.copyOf(attributions.subList(0, Math.min(Math.max(0, topTokens), attributions.size()))));
    }

    private static List<String> without(List<String> words, int position) {
        List<String> shorter = new ArrayList<>(words);
        shorter.remove(position);
        return shorter;
    }
}
