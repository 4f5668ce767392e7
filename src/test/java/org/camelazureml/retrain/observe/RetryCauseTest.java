package org.camelazureml.retrain.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.AzureMlOperation;
import org.camelazureml.retrain.storage.ModelFetchException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryCauseTest {

    @ParameterizedTest
    @CsvSource({"429, http_429", "503, http_503", "500, http_5xx", "502, http_5xx", "504, http_5xx", "408, http_408"})
    void anAnswerIsClassifiedByItsStatus(int status, String label) {
        AzureMlCallException failure = new AzureMlCallException(AzureMlOperation.GET_JOB_STATUS, status, null,
                "job 1cd3e7cd busy", null);

        assertThat(RetryCause.of(failure).label()).isEqualTo(label);
    }

    @Test
    void noAnswerStorageAndAnythingElseHaveTheirOwnLabels() {
        assertThat(RetryCause.of(new AzureMlCallException(AzureMlOperation.UPDATE_RESOURCE,
                new ConnectException("Connection refused"))).label()).isEqualTo("no_answer");
        assertThat(RetryCause.of(new ModelFetchException("broken pipe", 0, null)).label()).isEqualTo("storage");
        assertThat(RetryCause.of(new IllegalStateException("something")).label()).isEqualTo("other");
    }
}
