package io.modelyard.ml.train;

import io.modelyard.ml.text.WordTokenizer;
import io.modelyard.training.engine.Augmentation;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Hyperparameters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Data augmentation for small text sets (EDA's random deletion and swap, Wei and Zou 2019): each training text
 * gets {@code copies} perturbed copies with the same label, words dropped with probability
 * {@code token_dropout} and neighbours swapped with probability {@code token_swap}. Seeded, so a run repeats.
 */
final class Augmenter {

    private Augmenter() {
    }

    static List<Example> augment(List<Example> train, Hyperparameters h) {
        Augmentation a = h.augmentation();
        if (a == null || a.copies() <= 0 || train.isEmpty() || train.get(0).text() == null) {
            return train;
        }
        WordTokenizer tokenizer = new WordTokenizer();
        SplittableRandom random = new SplittableRandom(h.seed() * 0x2545F4914F6CDD1DL + 17);
        List<Example> out = new ArrayList<>(train.size() * (1 + a.copies()));
        out.addAll(train);
        for (int copy = 0; copy < a.copies(); copy++) {
            for (Example e : train) {
                List<String> words = new ArrayList<>();
                for (String w : tokenizer.tokenize(e.text())) {
                    if (random.nextDouble() >= a.tokenDropout()) {
                        words.add(w);
                    }
                }
                for (int i = 0; i + 1 < words.size(); i++) {
                    if (random.nextDouble() < a.tokenSwap()) {
                        String w = words.get(i);
                        words.set(i, words.get(i + 1));
                        words.set(i + 1, w);
                        i++;
                    }
                }
                out.add(Example.text(words.isEmpty() ? e.text() : String.join(" ", words), e.label()));
            }
        }
        return out;
    }
}
