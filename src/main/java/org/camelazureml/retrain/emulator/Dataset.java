package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A numeric table read from a training input: a header row, then rows of numbers. The last
 * column is the label, the others are features.
 */
record Dataset(List<String> header, List<double[]> rows) {

    static final int MIN_ROWS = 5;

    Dataset {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    List<String> featureNames() {
        return header.subList(0, header.size() - 1);
    }

    String labelName() {
        return header.get(header.size() - 1);
    }

    int featureCount() {
        return header.size() - 1;
    }

    /** Deterministic hold-out: every fifth row (index 4, 9, ...) is for evaluation, the rest for training. */
    static boolean isHeldOut(int rowIndex) {
        return rowIndex % 5 == 4;
    }

    List<double[]> trainingRows() {
        return select(false);
    }

    List<double[]> heldOutRows() {
        return select(true);
    }

    private List<double[]> select(boolean heldOut) {
        List<double[]> selected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (isHeldOut(i) == heldOut) {
                selected.add(rows.get(i));
            }
        }
        return selected;
    }

    /**
     * Parses CSV (or TSV) text. Fields may be double-quoted. Blank lines are ignored.
     *
     * @throws IllegalArgumentException with a message fit for a job's Details
     */
    static Dataset parse(String text, char separator) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the file is empty; expected a header row and at least "
                    + MIN_ROWS + " data rows");
        }
        List<String> header = splitLine(lines.get(0), separator).stream().map(String::trim).toList();
        if (header.size() < 2) {
            throw new IllegalArgumentException("the header row has " + header.size()
                    + " column; expected at least one feature column and a label column (the last)");
        }
        if (header.stream().allMatch(Dataset::isNumber)) {
            throw new IllegalArgumentException("the first row holds numbers; expected a header row of column names");
        }
        List<double[]> rows = new ArrayList<>();
        for (int lineIndex = 1; lineIndex < lines.size(); lineIndex++) {
            List<String> fields = splitLine(lines.get(lineIndex), separator);
            int lineNumber = lineIndex + 1;
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException("line " + lineNumber + " has " + fields.size() + " columns; the header has "
                        + header.size());
            }
            double[] row = new double[fields.size()];
            for (int col = 0; col < fields.size(); col++) {
                String field = fields.get(col).trim();
                if (!isNumber(field)) {
                    throw new IllegalArgumentException("line " + lineNumber + ", column '" + header.get(col) + "': '"
                            + abbreviate(field) + "' is not a number (the emulator trains on numeric columns only)");
                }
                row[col] = Double.parseDouble(field);
            }
            rows.add(row);
        }
        if (rows.size() < MIN_ROWS) {
            throw new IllegalArgumentException("the file has " + rows.size() + " data rows; at least " + MIN_ROWS
                    + " are needed (a fifth is held out for evaluation)");
        }
        return new Dataset(header, rows);
    }

    private static boolean isNumber(String field) {
        try {
            return Double.isFinite(Double.parseDouble(field.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String abbreviate(String field) {
        return field.length() <= 40 ? field : field.substring(0, 40) + "...";
    }

    private static List<String> splitLine(String line, char separator) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == separator && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
