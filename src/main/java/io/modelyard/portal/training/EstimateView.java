package io.modelyard.portal.training;

import io.modelyard.billing.metering.UsageEstimate;
import io.modelyard.training.TrainingEstimate;

/** A dry run's answer as the create form shows it. */
public record EstimateView(long computeSeconds, String meter, long trainingRows, String modelName,
        UsageEstimate price) {

    static EstimateView of(TrainingEstimate estimate) {
        return new EstimateView(estimate.estimatedComputeSeconds(), estimate.meter(), estimate.trainingRows(),
                estimate.modelName(), estimate.price() instanceof UsageEstimate usage ? usage : null);
    }

    /** The price in major units with its currency, e.g. "0.00 USD". */
    public String amount() {
        return price == null ? "–" : String.format(java.util.Locale.ROOT, "%d.%02d %s", price.amount() / 100,
                Math.abs(price.amount() % 100), price.currency());
    }
}
