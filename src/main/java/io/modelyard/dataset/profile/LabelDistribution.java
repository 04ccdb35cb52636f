package io.modelyard.dataset.profile;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** Classification labels, most frequent first; {@code imbalance_ratio} = largest class / smallest class. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LabelDistribution(List<LabelCount> labels, double imbalanceRatio) {
}
