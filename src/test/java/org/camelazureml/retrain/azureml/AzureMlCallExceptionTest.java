package org.camelazureml.retrain.azureml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureMlCallExceptionTest {

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void transientStatuses(int status) {
        assertThat(new AzureMlCallException(AzureMlOperation.GET_JOB_STATUS, status, null, "", null).isTransient()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 413})
    void permanentStatuses(int status) {
        assertThat(new AzureMlCallException(AzureMlOperation.SUBMIT_JOB, status, null, "", null).isTransient()).isFalse();
    }

    @Test
    void namesStepStatusCodesDetailsAndWhatToCheck() {
        AzureMlErrorBody.Error error = new AzureMlErrorBody.Error("BadArgument", "Invalid argument provided.",
                List.of(new AzureMlErrorBody.Detail("InvalidBlobExtension", "output1 must be .ilearner")));

        AzureMlCallException e = new AzureMlCallException(AzureMlOperation.SUBMIT_JOB, 400, error, null, null);

        assertThat(e.getMessage()).isEqualTo("submit training job failed: HTTP 400 BadArgument / InvalidBlobExtension:"
                + " Invalid argument provided. (InvalidBlobExtension: output1 must be .ilearner). Check: output paths"
                + " must end in .ilearner for a trained model and .csv, .tsv or .arff for a dataset");
        assertThat(e.errorCode()).contains("BadArgument");
        assertThat(e.detailCodes()).containsExactly("InvalidBlobExtension");
    }

    @Test
    void unauthorizedPointsAtTheRightKey() {
        assertThat(new AzureMlCallException(AzureMlOperation.UPDATE_RESOURCE, 401, null, "", null).getMessage())
                .endsWith("Check: retrain.scoring.api-key (each endpoint has its own key)");
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertThat(AzureMlClient.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(AzureMlClient.parseRetryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(AzureMlClient.parseRetryAfter("soon")).isNull();
    }
}
