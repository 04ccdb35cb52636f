package io.modelyard.job;

import io.modelyard.common.ProblemException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The filters every job list takes: {@code ?state=} and {@code ?metadata[key]=value} (any number of keys). Use as a
 * {@code @BeanParam}.
 */
public class JobListFilter {

    private static final Pattern METADATA_KEY = Pattern.compile("metadata\\[(.+)]");
    private static final String STATES = Arrays.stream(JobState.values())
            .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));

    @QueryParam("state")
    @Parameter(description = "queued, running, cancelling, pausing, paused, succeeded, failed or cancelled")
    String state;

    @Context
    UriInfo uri;

    /** The state asked for, or null for any; 400 for a state that does not exist. */
    public JobState state() {
        if (state == null) {
            return null;
        }
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("state", "must be one of " + STATES);
        }
    }

    /** {@code metadata[key]=value} pairs, in the order given (a key given twice counts once, first value). */
    public Map<String, String> metadata() {
        return metadata(uri);
    }

    /** The {@code metadata[key]=value} query parameters of a request that is not a list (a create by upload). */
    public static Map<String, String> metadata(UriInfo uri) {
        Map<String, String> metadata = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            Matcher key = METADATA_KEY.matcher(name);
            if (key.matches() && !values.isEmpty()) {
                metadata.put(key.group(1), values.get(0));
            }
        });
        return metadata;
    }
}
