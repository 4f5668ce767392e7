package org.camelazureml.retrain.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the table Azure ML's Evaluate Model module writes: a header row of metric names and one row of values
 * (comma separated, fields may be quoted). Columns that are not numbers are skipped.
 */
public final class EvaluationMetrics {

    private EvaluationMetrics() {
    }

    /** @throws IllegalArgumentException when the file is not such a table */
    public static Map<String, Double> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IllegalArgumentException("evaluation output " + csv.getFileName() + " has no row of values under"
                    + " its header (expected Evaluate Model's table: metric names, then values)");
        }
        List<String> names = fields(lines.get(0));
        List<String> values = fields(lines.get(1));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < names.size() && i < values.size(); i++) {
            try {
                metrics.put(names.get(i), Double.valueOf(values.get(i)));
            } catch (NumberFormatException notANumber) {
                // e.g. a label column; only numbers can be judged
            }
        }
        return metrics;
    }

    /** One CSV line: comma separated, double-quoted fields may hold commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
