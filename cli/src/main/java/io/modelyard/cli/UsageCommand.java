package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code modelyard usage}: one row per day, one column per meter. */
@Command(name = "usage", description = "Your usage per day and meter (UTC days; this month by default)")
final class UsageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD") String from;
    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Exclusive") String to;
    @Option(names = "--meter") String meter;

    @Override
    public Integer call() {
        Modelyard root = (Modelyard) spec.root().userObject();
        StringBuilder path = new StringBuilder("/v1/usage/daily");
        List<String> query = new ArrayList<>();
        if (from != null) {
            query.add("from=" + Paths.segment(from));
        }
        if (to != null) {
            query.add("to=" + Paths.segment(to));
        }
        if (meter != null) {
            query.add("meter=" + Paths.segment(meter));
        }
        if (!query.isEmpty()) {
            path.append('?').append(String.join("&", query));
        }
        JsonNode page = root.api().get(path.toString());
        if (root.json) {
            root.printJson(page);
            return ExitCodes.OK;
        }
        TreeSet<String> meters = new TreeSet<>();
        Map<String, Map<String, BigDecimal>> days = new TreeMap<>();
        for (JsonNode bucket : page.path("data")) {
            String day = bucket.path("start").asText().substring(0, 10);
            String m = bucket.path("meter").asText();
            meters.add(m);
            days.computeIfAbsent(day, d -> new TreeMap<>()).merge(m, bucket.path("quantity").decimalValue(),
                    BigDecimal::add);
        }
        if (days.isEmpty()) {
            root.out.println("No usage in this period.");
            return ExitCodes.OK;
        }
        List<String> header = new ArrayList<>();
        header.add("DAY");
        meters.forEach(header::add);
        Table table = new Table(header);
        days.forEach((day, values) -> {
            List<String> row = new ArrayList<>();
            row.add(day);
            meters.forEach(m -> row.add(values.containsKey(m) ? values.get(m).stripTrailingZeros().toPlainString() : ""));
            table.row(row);
        });
        table.print(root.out);
        return ExitCodes.OK;
    }
}
