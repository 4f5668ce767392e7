package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Dataset parsing, the regression, the model document and the metrics, without any server. */
class TrainingMathTest {

    static Dataset data(byte[] csv) {
        return Dataset.parse(new String(csv, StandardCharsets.UTF_8), ',');
    }

    @Test
    void recoversTheCoefficientsOfCleanLinearData() {
        LinearModel model = RidgeRegression.fit(data(EmulatorTestSupport.linearCsv(200, 0.01, 1)));

        assertThat(model.features()).containsExactly("a", "b");
        assertThat(model.coefficients().get(0)).isCloseTo(2.0, within(0.01));
        assertThat(model.coefficients().get(1)).isCloseTo(-3.0, within(0.01));
        assertThat(model.intercept()).isCloseTo(1.0, within(0.05));
        assertThat(model.trainingRows()).isEqualTo(160);
        assertThat(model.predict(Map.of("a", 1.0, "b", 1.0))).isCloseTo(0.0, within(0.05));
    }

    @Test
    void holdsOutEveryFifthRowForEvaluation() {
        Dataset data = data(EmulatorTestSupport.linearCsv(10, 0.1, 1));

        assertThat(data.trainingRows()).hasSize(8);
        assertThat(data.heldOutRows()).containsExactly(data.rows().get(4), data.rows().get(9));
    }

    @Test
    void aConstantColumnGetsAZeroCoefficient() {
        Dataset data = Dataset.parse("a,c,y\n1,5,2\n2,5,4\n3,5,6\n4,5,8\n5,5,10\n6,5,12\n", ',');

        LinearModel model = RidgeRegression.fit(data);

        assertThat(model.coefficients().get(1)).isEqualTo(0.0);
        assertThat(model.predict(Map.of("a", 10.0, "c", 5.0))).isCloseTo(20.0, within(0.1));
    }

    @Test
    void theModelDocumentRoundTripsAndIsDeterministic() {
        Dataset data = data(EmulatorTestSupport.linearCsv(50, 0.5, 9));
        LinearModel model = RidgeRegression.fit(data);

        byte[] document = model.toIlearner("output1");

        assertThat(new String(document, StandardCharsets.UTF_8)).startsWith("EMULATED-ILEARNER v1\n{\"format\":");
        assertThat(RidgeRegression.fit(data(EmulatorTestSupport.linearCsv(50, 0.5, 9))).toIlearner("output1"))
                .isEqualTo(document);
        assertThat(LinearModel.parse(document)).isEqualTo(model);
    }

    @Test
    void eachModelPortGetsItsOwnDocumentOfTheSameModel() {
        LinearModel model = RidgeRegression.fit(data(EmulatorTestSupport.linearCsv(50, 0.5, 9)));

        byte[] first = model.toIlearner("output1");
        byte[] second = model.toIlearner("output3");

        assertThat(second).isNotEqualTo(first);
        assertThat(new String(second, StandardCharsets.UTF_8)).contains("\"outputPort\":\"output3\"");
        assertThat(LinearModel.parse(first)).isEqualTo(model);
        assertThat(LinearModel.parse(second)).isEqualTo(model);
    }

    @Test
    void paddingAfterTheDocumentIsIgnored() {
        LinearModel model = RidgeRegression.fit(data(EmulatorTestSupport.linearCsv(50, 0.5, 9)));
        byte[] document = model.toIlearner("output1");
        byte[] padded = Arrays.copyOf(document, document.length + 10_000);
        Arrays.fill(padded, document.length, padded.length, LinearModel.PADDING);

        assertThat(LinearModel.parse(padded)).isEqualTo(model);
    }

    @Test
    void anythingElseIsNotAModel() {
        assertThatThrownBy(() -> LinearModel.parse("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a trained model");
        assertThatThrownBy(() -> LinearModel.parse((LinearModel.MAGIC + "\n{\"features\":[]}").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("damaged");
    }

    @Test
    void metricsAreTheEvaluateModelOnes() {
        Dataset data = Dataset.parse("x,y\n1,1\n2,2\n3,3\n4,4\n5,6\n6,6\n7,7\n8,8\n9,9\n10,9\n", ',');
        LinearModel identity = new LinearModel(List.of("x"), List.of(1.0), 0.0, "y", 8);

        RegressionMetrics metrics = RegressionMetrics.evaluate(identity, data);

        // held out: (5, 6) and (10, 9); errors 1 and -1; mean actual 7.5
        assertThat(metrics.meanAbsoluteError()).isEqualTo(1.0);
        assertThat(metrics.rootMeanSquaredError()).isEqualTo(1.0);
        assertThat(metrics.relativeAbsoluteError()).isCloseTo(2.0 / 3.0, within(1e-12));
        assertThat(metrics.relativeSquaredError()).isCloseTo(2.0 / 4.5, within(1e-12));
        assertThat(metrics.coefficientOfDetermination()).isCloseTo(1 - 2.0 / 4.5, within(1e-12));
        assertThat(new String(metrics.render(".csv"), StandardCharsets.UTF_8)).startsWith(
                "Mean Absolute Error,Root Mean Squared Error,Relative Absolute Error,Relative Squared Error,"
                        + "Coefficient of Determination\n1.0,1.0,");
        assertThat(new String(metrics.render(".tsv"), StandardCharsets.UTF_8)).contains("Mean Absolute Error\tRoot");
        assertThat(new String(metrics.render(".arff"), StandardCharsets.UTF_8)).contains("@ATTRIBUTE \"Mean Absolute Error\" NUMERIC", "@DATA");
    }

    @Test
    void parsingExplainsWhatIsWrong() {
        assertThatThrownBy(() -> Dataset.parse("", ',')).hasMessageContaining("empty");
        assertThatThrownBy(() -> Dataset.parse("y\n1\n", ',')).hasMessageContaining("at least one feature column");
        assertThatThrownBy(() -> Dataset.parse("a,y\n1,2\n1\n", ',')).hasMessageContaining("line 3 has 1 columns");
        assertThat(Dataset.parse("\"col, a\",y\n1,2\n2,3\n3,4\n4,5\n5,6\n", ',').header()).containsExactly("col, a", "y");
        assertThat(Dataset.parse("a\ty\n1\t2\n2\t3\n3\t4\n4\t5\n5\t6\n", '\t').rows()).hasSize(5);
    }
}
