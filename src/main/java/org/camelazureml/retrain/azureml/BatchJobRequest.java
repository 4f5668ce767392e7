package org.camelazureml.retrain.azureml;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of a BES submit: {@code POST .../jobs?api-version=2.0}. Port and parameter names are case sensitive. */
public record BatchJobRequest(
        @JsonProperty("Inputs") Map<String, BlobReference> inputs,
        @JsonProperty("Outputs") Map<String, BlobReference> outputs,
        @JsonProperty("GlobalParameters") Map<String, String> globalParameters) {
}
