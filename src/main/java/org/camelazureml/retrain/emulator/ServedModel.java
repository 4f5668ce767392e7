package org.camelazureml.retrain.emulator;

import java.time.Instant;

/**
 * The model an endpoint serves after an UpdateResource call.
 *
 * @param endpoint         the endpoint name
 * @param resourceName     the updatable resource it was put behind
 * @param sha256           SHA-256 of the blob as downloaded, lower-case hex
 * @param size             blob size in bytes
 * @param baseLocation     BaseLocation from the PATCH body
 * @param relativeLocation RelativeLocation from the PATCH body (the SAS is never kept)
 * @param updatedAt        when the update was accepted
 */
public record ServedModel(String endpoint, String resourceName, String sha256, long size, String baseLocation,
                          String relativeLocation, Instant updatedAt) {
}
