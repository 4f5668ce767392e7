package org.camelazureml.retrain.emulator;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Azure ML "Evaluate Model" style regression metrics, computed on the held-out rows. */
record RegressionMetrics(double meanAbsoluteError, double rootMeanSquaredError, double relativeAbsoluteError,
                         double relativeSquaredError, double coefficientOfDetermination) {

    static final List<String> NAMES = List.of("Mean Absolute Error", "Root Mean Squared Error",
            "Relative Absolute Error", "Relative Squared Error", "Coefficient of Determination");

    static RegressionMetrics evaluate(LinearModel model, Dataset data) {
        List<double[]> rows = data.heldOutRows();
        int label = data.featureCount();
        double actualMean = rows.stream().mapToDouble(row -> row[label]).average().orElse(0);
        double absError = 0;
        double squaredError = 0;
        double absDeviation = 0;
        double squaredDeviation = 0;
        for (double[] row : rows) {
            double actual = row[label];
            double error = actual - model.predict(featureMap(data, row));
            absError += Math.abs(error);
            squaredError += error * error;
            absDeviation += Math.abs(actual - actualMean);
            squaredDeviation += (actual - actualMean) * (actual - actualMean);
        }
        int n = rows.size();
        double rse = squaredError / squaredDeviation;
        return new RegressionMetrics(absError / n, Math.sqrt(squaredError / n), absError / absDeviation, rse, 1 - rse);
    }

    static Map<String, Double> featureMap(Dataset data, double[] row) {
        Map<String, Double> features = new HashMap<>();
        for (int j = 0; j < data.featureCount(); j++) {
            features.put(data.header().get(j), row[j]);
        }
        return features;
    }

    List<Double> values() {
        return List.of(meanAbsoluteError, rootMeanSquaredError, relativeAbsoluteError, relativeSquaredError,
                coefficientOfDetermination);
    }

    /** The metrics as a one-row dataset in the format the output's extension asks for (.csv, .tsv, .arff). */
    byte[] render(String extension) {
        String text = switch (extension) {
            case ".tsv" -> String.join("\t", NAMES) + "\n" + joined("\t") + "\n";
            case ".arff" -> "@RELATION \"Evaluation Results\"\n\n"
                    + NAMES.stream().map(name -> "@ATTRIBUTE \"" + name + "\" NUMERIC\n").collect(Collectors.joining())
                    + "\n@DATA\n" + joined(",") + "\n";
            default -> String.join(",", NAMES) + "\n" + joined(",") + "\n";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String joined(String separator) {
        return values().stream().map(String::valueOf).collect(Collectors.joining(separator));
    }
}
