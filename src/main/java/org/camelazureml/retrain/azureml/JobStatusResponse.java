package org.camelazureml.retrain.azureml;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code GET .../jobs/{id}}. {@code Results} is null until the job is Finished; {@code Details} carries
 * the error text of a failed job.
 */
public record JobStatusResponse(
        @JsonProperty("StatusCode") JobStatus statusCode,
        @JsonProperty("Results") Map<String, BlobReference> results,
        @JsonProperty("Details") String details) {
}
