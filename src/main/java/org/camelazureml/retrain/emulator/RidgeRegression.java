package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Ridge-regularised least squares on standardised features (the intercept is not penalised),
 * solved exactly with a Cholesky decomposition. Small and deterministic: enough for an emulator
 * whose point is that better data visibly gives a better model.
 */
final class RidgeRegression {

    static final double LAMBDA = 1e-4;

    private RidgeRegression() {
    }

    static LinearModel fit(Dataset data) {
        List<double[]> rows = data.trainingRows();
        int n = rows.size();
        int p = data.featureCount();
        double[] mean = new double[p];
        double[] scale = new double[p];
        double labelMean = 0;
        for (double[] row : rows) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / n;
            }
            labelMean += row[p] / n;
        }
        for (double[] row : rows) {
            for (int j = 0; j < p; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < p; j++) {
            // a constant column standardises to 0 and gets a zero coefficient
            scale[j] = scale[j] > 0 ? Math.sqrt(scale[j]) : 1.0;
        }
        // normal equations (Z'Z + lambda*n*I) b = Z'y on standardised Z and centred y
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        for (double[] row : rows) {
            double y = row[p] - labelMean;
            for (int j = 0; j < p; j++) {
                double zj = (row[j] - mean[j]) / scale[j];
                rhs[j] += zj * y;
                for (int k = 0; k <= j; k++) {
                    gram[j][k] += zj * (row[k] - mean[k]) / scale[k];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            gram[j][j] += LAMBDA * n;
            for (int k = 0; k < j; k++) {
                gram[k][j] = gram[j][k];
            }
        }
        double[] standardised = solveSymmetricPositiveDefinite(gram, rhs);
        List<Double> coefficients = new ArrayList<>(p);
        double intercept = labelMean;
        for (int j = 0; j < p; j++) {
            double w = standardised[j] / scale[j];
            coefficients.add(w);
            intercept -= w * mean[j];
        }
        return new LinearModel(data.featureNames(), coefficients, intercept, data.labelName(), n);
    }

    private static double[] solveSymmetricPositiveDefinite(double[][] a, double[] b) {
        int p = b.length;
        double[][] l = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
            }
        }
        double[] y = new double[p];
        for (int i = 0; i < p; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] x = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < p; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }
}
