package org.camelazureml.retrain.azureml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.camelazureml.retrain.config.Redaction;

/**
 * A blob as the Batch Execution Service names it: either {@code ConnectionString} + {@code RelativeLocation}
 * (account key) or {@code BaseLocation} + {@code RelativeLocation} + {@code SasBlobToken} (SAS).
 * {@code RelativeLocation} is {@code container/path}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlobReference(
        @JsonProperty("ConnectionString") String connectionString,
        @JsonProperty("RelativeLocation") String relativeLocation,
        @JsonProperty("BaseLocation") String baseLocation,
        @JsonProperty("SasBlobToken") String sasBlobToken) {

    public static BlobReference withConnectionString(String connectionString, String relativeLocation) {
        return new BlobReference(connectionString, relativeLocation, null, null);
    }

    public static BlobReference withSas(String baseLocation, String relativeLocation, String sasBlobToken) {
        return new BlobReference(null, relativeLocation, baseLocation, sasBlobToken);
    }

    /** Never prints the connection string or the SAS signature. */
    @Override
    public String toString() {
        return "BlobReference[relativeLocation=" + relativeLocation + ", baseLocation=" + baseLocation
                + ", sasBlobToken=" + Redaction.redact(sasBlobToken)
                + ", connectionString=" + (connectionString == null ? null : "******") + "]";
    }
}
