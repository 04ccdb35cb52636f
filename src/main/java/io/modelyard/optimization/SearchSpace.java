package io.modelyard.optimization;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.HyperparameterOverrides;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where a tuning job searches: the architectures, a range or a list of values per hyperparameter, and the epochs
 * a trial may get (the resource successive halving hands out: {@code min_epochs} to the first rung,
 * {@code max_epochs} to a trial that survives every rung). A hyperparameter left out keeps the architecture's
 * small preset. A configuration is a map from names to values: {@code architecture} to its wire name, the rest to
 * numbers.
 *
 * @param dimensions by hyperparameter name (snake_case, as in a training job's {@code hyperparameters})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchSpace(List<Architecture> architectures, Map<String, Dimension> dimensions, Integer minEpochs,
        Integer maxEpochs) {

    /** Hyperparameters a space may range over, and whether each is a whole number. */
    static final Map<String, Boolean> SEARCHABLE = searchable();

    /**
     * One hyperparameter: either {@code values} to choose from, or a range {@code min}..{@code max}, sampled
     * uniformly or, with {@code scale: "log"}, uniformly in its logarithm (learning rates).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dimension(List<Double> values, Double min, Double max, String scale) {

        static Dimension of(double... values) {
            List<Double> list = new ArrayList<>();
            for (double v : values) {
                list.add(v);
            }
            return new Dimension(list, null, null, null);
        }

        static Dimension range(double min, double max, boolean log) {
            return new Dimension(null, min, max, log ? "log" : null);
        }

        boolean isRange() {
            return values == null;
        }

        boolean isLog() {
            return "log".equals(scale);
        }

        /** Where {@code value} sits in the unit interval (ranges) or which value it is (lists), for the sampler. */
        double toUnit(double value) {
            if (!isRange()) {
                int best = 0;
                for (int i = 1; i < values.size(); i++) {
                    if (Math.abs(values.get(i) - value) < Math.abs(values.get(best) - value)) {
                        best = i;
                    }
                }
                return best;
            }
            double lo = isLog() ? Math.log(min) : min;
            double hi = isLog() ? Math.log(max) : max;
            double x = isLog() ? Math.log(Math.max(value, Double.MIN_NORMAL)) : value;
            return hi == lo ? 0.5 : Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
        }

        /** The value at {@code unit} of a range, or the {@code unit}-th value of a list. */
        double fromUnit(double unit, boolean integer) {
            if (!isRange()) {
                return values.get((int) Math.max(0, Math.min(values.size() - 1, Math.round(unit))));
            }
            double lo = isLog() ? Math.log(min) : min;
            double hi = isLog() ? Math.log(max) : max;
            double x = lo + Math.min(1, Math.max(0, unit)) * (hi - lo);
            double value = isLog() ? Math.exp(x) : x;
            return integer ? Math.round(value) : value;
        }

        /** Choices of a list; ranges are continuous (0). */
        int choices() {
            return isRange() ? 0 : values.size();
        }

        double random(SplittableRandom random, boolean integer) {
            return isRange() ? fromUnit(random.nextDouble(), integer) : values.get(random.nextInt(values.size()));
        }
    }

    /** The default space of a task: always the linear baseline, then the networks that suit small CPU budgets. */
    static SearchSpace defaultFor(TaskType task) {
        Map<String, Dimension> d = new LinkedHashMap<>();
        d.put("learning_rate", Dimension.range(1e-3, 5e-2, true));
        d.put("dropout", Dimension.range(0.0, 0.5, false));
        d.put("batch_size", Dimension.of(32, 64, 128));
        if (task.isText()) {
            d.put("embedding_size", Dimension.of(32, 64, 128));
            d.put("hidden_size", Dimension.of(32, 64, 128));
            d.put("max_sequence_length", Dimension.of(64, 128));
            d.put("char_ngrams", Dimension.of(0, 1));
            return new SearchSpace(List.of(Architecture.LINEAR, Architecture.BAG_OF_EMBEDDINGS,
                    Architecture.TEXT_CNN), d, 1, 9);
        }
        if (task.isImage()) {
            // no linear baseline reads pixels: the small network is the baseline
            d.put("hidden_size", Dimension.of(16, 32));
            return new SearchSpace(List.of(Architecture.CNN_SMALL, Architecture.RESNET), d, 3, 15);
        }
        d.put("hidden_size", Dimension.of(32, 64, 128));
        d.put("layers", Dimension.of(1, 2, 3));
        return new SearchSpace(List.of(Architecture.LINEAR, Architecture.MLP), d, 3, 27);
    }

    /** This space with what the request left out taken from the task's default (and the linear baseline added). */
    SearchSpace completedFor(TaskType task) {
        SearchSpace fallback = defaultFor(task);
        List<Architecture> chosen = architectures == null || architectures.isEmpty() ? fallback.architectures
                : new ArrayList<>(architectures);
        if (!chosen.contains(Architecture.LINEAR) && Architecture.LINEAR.supports(task)) {
            chosen = new ArrayList<>(chosen);
            chosen.add(0, Architecture.LINEAR);
        }
        Map<String, Dimension> dims = dimensions == null ? fallback.dimensions : dimensions;
        int min = minEpochs != null ? minEpochs : Math.min(fallback.minEpochs, maxEpochs == null
                ? fallback.minEpochs : maxEpochs);
        int max = maxEpochs != null ? maxEpochs : Math.max(fallback.maxEpochs, min);
        return new SearchSpace(List.copyOf(chosen), new LinkedHashMap<>(dims), min, max);
    }

    /** Problems with a completed space, each naming its field under {@code search_space}. */
    List<FieldError> validate(TaskType task) {
        List<FieldError> errors = new ArrayList<>();
        for (Architecture a : architectures) {
            if (!a.supports(task)) {
                errors.add(new FieldError("search_space.architectures", a.wireName() + " does not train "
                        + task.wireName() + " models"));
            }
        }
        if (minEpochs < 1 || maxEpochs > 1000 || minEpochs > maxEpochs) {
            errors.add(new FieldError("search_space.max_epochs",
                    "min_epochs and max_epochs must satisfy 1 <= min_epochs <= max_epochs <= 1000"));
        }
        dimensions.forEach((name, dim) -> {
            String field = "search_space.dimensions." + name;
            if (!SEARCHABLE.containsKey(name)) {
                errors.add(new FieldError(field, "not a searchable hyperparameter; use one of " + SEARCHABLE.keySet()));
            } else if (dim == null) {
                errors.add(new FieldError(field, "give values or a range (min, max)"));
            } else if (dim.values() != null) {
                if (dim.values().isEmpty() || dim.values().size() > 50 || dim.min() != null || dim.max() != null) {
                    errors.add(new FieldError(field, "values is a list of 1 to 50 numbers, without min or max"));
                }
            } else if (dim.min() == null || dim.max() == null || !(dim.min() <= dim.max())) {
                errors.add(new FieldError(field, "a range needs min <= max"));
            } else if (dim.scale() != null && !"log".equals(dim.scale()) && !"linear".equals(dim.scale())) {
                errors.add(new FieldError(field, "scale is linear or log"));
            } else if (dim.isLog() && dim.min() <= 0) {
                errors.add(new FieldError(field, "a log scale needs min > 0"));
            }
        });
        return errors;
    }

    /** A configuration drawn uniformly from the space. */
    Map<String, Object> random(SplittableRandom random) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architectures.get(random.nextInt(architectures.size())).wireName());
        dimensions.forEach((name, dim) -> config.put(name, number(name, dim.random(random, SEARCHABLE.get(name)))));
        return config;
    }

    static Object number(String name, double value) {
        return SEARCHABLE.getOrDefault(name, false) ? (Object) (int) Math.round(value) : (Object) value;
    }

    /**
     * The hyperparameters of a configuration over the architecture's small preset: every trial runs max_epochs.
     * Hashed character n-grams ({@code char_ngrams} 1) apply only where the architecture can use them.
     */
    HyperparameterOverrides overrides(Map<String, Object> config, long seed, TaskType task) {
        Architecture architecture = architecture(config);
        boolean bag = task.isText() && (architecture == Architecture.BAG_OF_EMBEDDINGS
                || architecture == Architecture.LINEAR);
        Integer ngrams = integer(config, "char_ngrams");
        return new HyperparameterOverrides(maxEpochs, integer(config, "batch_size"), real(config, "learning_rate"),
                null, null, null, real(config, "weight_decay"), real(config, "dropout"), null,
                integer(config, "max_sequence_length"), integer(config, "vocabulary_size"),
                integer(config, "embedding_size"), integer(config, "hidden_size"), integer(config, "layers"),
                integer(config, "heads"), seed, 0, null, null, null, bag && ngrams != null && ngrams == 1 ? true : null,
                null, null, null);
    }

    static Architecture architecture(Map<String, Object> config) {
        return Architecture.fromWire((String) config.get("architecture"));
    }

    private static Integer integer(Map<String, Object> config, String name) {
        Object v = config.get(name);
        return v == null ? null : ((Number) v).intValue();
    }

    private static Double real(Map<String, Object> config, String name) {
        Object v = config.get(name);
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Map<String, Boolean> searchable() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("learning_rate", false);
        m.put("dropout", false);
        m.put("weight_decay", false);
        m.put("batch_size", true);
        m.put("embedding_size", true);
        m.put("hidden_size", true);
        m.put("layers", true);
        m.put("max_sequence_length", true);
        m.put("vocabulary_size", true);
        m.put("heads", true);
        m.put("char_ngrams", true);
        return Map.copyOf(m);
    }
}
