package org.camelazureml.retrain.azureml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The classic services' error body: {@code {"error":{"code":"BadArgument","message":"...","details":[...]}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AzureMlErrorBody(@JsonProperty("error") Error error) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("details") List<Detail> details) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(@JsonProperty("code") String code, @JsonProperty("message") String message) {
    }
}
