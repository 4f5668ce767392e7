package org.camelazureml.retrain.azureml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code GET} on a scoring endpoint returns, as far as the project relies on it. The documentation does not
 * give this shape; any other shape means "cannot confirm", never a failed update (see PROTOCOL.md §2).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointDescription(
        @JsonProperty("Name") String name,
        @JsonProperty("Resources") List<Resource> resources) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resource(@JsonProperty("Name") String name, @JsonProperty("Location") Location location) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Location(
            @JsonProperty("BaseLocation") String baseLocation,
            @JsonProperty("RelativeLocation") String relativeLocation) {
    }
}
