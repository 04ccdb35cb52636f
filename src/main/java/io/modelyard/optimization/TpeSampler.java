package io.modelyard.optimization;

import io.modelyard.model.spec.Architecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Tree-structured Parzen Estimator (Bergstra et al., 2011), per hyperparameter: the trials seen so far are
 * split into the best quarter and the rest; each part gets a density over every hyperparameter (a Gaussian
 * kernel per trial on ranges, in log space for log ranges; smoothed frequencies on lists and architectures);
 * candidates are drawn from the good density and the one where good/rest is largest is proposed. Until
 * {@link #STARTUP} trials have been seen, and for {@code random} searches, it draws uniformly instead.
 */
final class TpeSampler {

    static final int STARTUP = 4;
    private static final double GAMMA = 0.25;
    private static final int CANDIDATES = 24;
    private static final double MIN_BANDWIDTH = 0.08;

    /** A configuration that was tried and how it ranks: higher {@code quality} is better. */
    record Observation(Map<String, Object> config, double quality) {
    }

    private final SearchSpace space;

    TpeSampler(SearchSpace space) {
        this.space = space;
    }

    Map<String, Object> sample(List<Observation> history, SplittableRandom random) {
        if (history.size() < STARTUP) {
            return space.random(random);
        }
        List<Observation> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingDouble(Observation::quality).reversed());
        int good = Math.max(1, (int) Math.ceil(GAMMA * sorted.size()));
        List<Observation> better = sorted.subList(0, good);
        List<Observation> worse = sorted.subList(good, sorted.size());
        Map<String, Object> best = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            Map<String, Object> candidate = draw(better, random);
            double ratio = logDensity(candidate, better) - logDensity(candidate, worse);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = candidate;
            }
        }
        return best;
    }

    /** A draw from the good density: per hyperparameter, around a random good trial, or from the prior. */
    private Map<String, Object> draw(List<Observation> good, SplittableRandom random) {
        Map<String, Object> config = new LinkedHashMap<>();
        List<Architecture> architectures = space.architectures();
        config.put("architecture", random.nextInt(good.size() + 1) == 0
                ? architectures.get(random.nextInt(architectures.size())).wireName()
                : good.get(random.nextInt(good.size())).config().get("architecture"));
        space.dimensions().forEach((name, dim) -> {
            boolean integer = SearchSpace.SEARCHABLE.get(name);
            if (random.nextInt(good.size() + 1) == 0) {
                config.put(name, SearchSpace.number(name, dim.random(random, integer)));
                return;
            }
            Object center = good.get(random.nextInt(good.size())).config().get(name);
            double unit = center == null ? random.nextDouble() : dim.toUnit(((Number) center).doubleValue());
            if (dim.isRange()) {
                unit += random.nextGaussian() * bandwidth(good.size());
            } else if (random.nextInt(4) == 0) {
                // neighbouring values of a list stay reachable
                unit += random.nextBoolean() ? 1 : -1;
            }
            config.put(name, SearchSpace.number(name, dim.fromUnit(unit, integer)));
        });
        return config;
    }

    /** Log density of a configuration under the Parzen estimator of {@code observations}, summed over dimensions. */
    private double logDensity(Map<String, Object> config, List<Observation> observations) {
        int n = observations.size();
        double total = categorical(config.get("architecture"), observations, "architecture",
                space.architectures().size());
        for (Map.Entry<String, SearchSpace.Dimension> entry : space.dimensions().entrySet()) {
            String name = entry.getKey();
            SearchSpace.Dimension dim = entry.getValue();
            double x = dim.toUnit(((Number) config.get(name)).doubleValue());
            if (!dim.isRange()) {
                int choices = dim.choices();
                double count = 0;
                for (Observation o : observations) {
                    Object v = o.config().get(name);
                    if (v != null && dim.toUnit(((Number) v).doubleValue()) == x) {
                        count++;
                    }
                }
                total += Math.log((count + 1.0 / choices) / (n + 1.0));
                continue;
            }
            double h = bandwidth(n);
            // the uniform prior takes one share, each observation's kernel another
            double density = 1.0;
            for (Observation o : observations) {
                Object v = o.config().get(name);
                if (v != null) {
                    double d = (x - dim.toUnit(((Number) v).doubleValue())) / h;
                    density += Math.exp(-0.5 * d * d) / (h * Math.sqrt(2 * Math.PI));
                }
            }
            total += Math.log(density / (n + 1.0));
        }
        return total;
    }

    private static double categorical(Object value, List<Observation> observations, String name, int choices) {
        double count = 0;
        for (Observation o : observations) {
            if (value.equals(o.config().get(name))) {
                count++;
            }
        }
        return Math.log((count + 1.0 / choices) / (observations.size() + 1.0));
    }

    /** Scott's rule in the unit interval, never so narrow that the search stops moving. */
    private static double bandwidth(int n) {
        return Math.max(MIN_BANDWIDTH, 0.3 * Math.pow(Math.max(1, n), -0.2));
    }
}
