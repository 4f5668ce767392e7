package org.camelazureml.retrain.azureml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobStatusTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"'\"NotStarted\"',NotStarted,false", "'\"Running\"',Running,false", "'\"Failed\"',Failed,true",
        "'\"Cancelled\"',Cancelled,true", "'\"Finished\"',Finished,true", "0,NotStarted,false", "1,Running,false",
        "2,Failed,true", "3,Cancelled,true", "4,Finished,true", "'\"4\"',Finished,true"})
    void acceptsNamesAndIntegers(String wire, JobStatus expected, boolean terminal) throws Exception {
        JobStatusResponse response = json.readValue("{\"StatusCode\":" + wire + ",\"Results\":null,\"Details\":null}",
                JobStatusResponse.class);

        assertThat(response.statusCode()).isEqualTo(expected);
        assertThat(response.statusCode().isTerminal()).isEqualTo(terminal);
    }

    @Test
    void rejectsUnknownStatuses() {
        assertThatThrownBy(() -> json.readValue("{\"StatusCode\":7}", JobStatusResponse.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("unknown BES StatusCode '7'");
        assertThatThrownBy(() -> json.readValue("{\"StatusCode\":\"Queued\"}", JobStatusResponse.class))
                .hasMessageContaining("unknown BES StatusCode 'Queued'");
    }

    @Test
    void readsResultsOfAFinishedJob() throws Exception {
        JobStatusResponse response = json.readValue("""
                { "StatusCode": "Finished",
                  "Results": { "output1": { "ConnectionString": null,
                                            "RelativeLocation": "models/run-1/model.ilearner",
                                            "BaseLocation": "https://acct.blob.core.windows.net/",
                                            "SasBlobToken": "?sv=2021&sr=b&sig=secret&se=2026&sp=r" } },
                  "Details": null }""", JobStatusResponse.class);

        BlobReference output = response.results().get("output1");
        assertThat(output.relativeLocation()).isEqualTo("models/run-1/model.ilearner");
        assertThat(output.toString()).doesNotContain("sig=secret");
    }
}
