package org.camelazureml.retrain.azureml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.camelazureml.retrain.config.Redaction;

/**
 * The body of the UpdateResource {@code PATCH} on a scoring endpoint. {@code Name} must equal the trained model's
 * resource name in the predictive experiment, e.g. "Census Model [trained model]".
 */
public record UpdateResourceRequest(@JsonProperty("Resources") List<Resource> resources) {

    public static UpdateResourceRequest of(String name, ModelLocation location) {
        return new UpdateResourceRequest(List.of(new Resource(name, location)));
    }

    public record Resource(@JsonProperty("Name") String name, @JsonProperty("Location") ModelLocation location) {
    }

    public record ModelLocation(
            @JsonProperty("BaseLocation") String baseLocation,
            @JsonProperty("RelativeLocation") String relativeLocation,
            @JsonProperty("SasBlobToken") String sasBlobToken) {

        @Override
        public String toString() {
            return "ModelLocation[" + baseLocation + relativeLocation + Redaction.redact(sasBlobToken) + "]";
        }
    }
}
