package io.modelyard.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * A chart as portal.js draws it with Chart.js: written into a {@code data-chart} attribute (Qute escapes it, the
 * browser unescapes it), so pages need no inline script.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ChartSpec(String type, List<String> labels, List<Series> datasets, String xTitle, String yTitle,
        boolean stacked, boolean horizontal, String y2) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series; {@code yAxisID} "y2" puts it on the right-hand 0–1 axis. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(String label, List<? extends Number> data, String stack, String yAxisID) {

        public static Series of(String label, List<? extends Number> data) {
            return new Series(label, data, null, null);
        }
    }

    public static ChartSpec line(List<String> labels, List<Series> series, String xTitle, String yTitle) {
        return new ChartSpec("line", labels, series, xTitle, yTitle, false, false, null);
    }

    public static ChartSpec bar(List<String> labels, List<Series> series, String xTitle, String yTitle) {
        return new ChartSpec("bar", labels, series, xTitle, yTitle, false, false, null);
    }

    public ChartSpec stackedBars() {
        return new ChartSpec(type, labels, datasets, xTitle, yTitle, true, horizontal, y2);
    }

    public ChartSpec withRightAxis(String title) {
        return new ChartSpec(type, labels, datasets, xTitle, yTitle, stacked, horizontal, title);
    }

    /** The JSON portal.js reads. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
