package org.camelazureml.retrain.config;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The scoring endpoints a pipeline updates (each a non-default endpoint of a scoring web service), and how long the
 * read-only SAS handed to them stays valid.
 */
public record ScoringConfig(List<EndpointConfig> endpoints, Duration sasValidity) {

    public EndpointConfig endpoint(String name) {
        return endpoints.stream().filter(endpoint -> endpoint.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no scoring endpoint named '" + name + "' (configured: "
                        + endpoints.stream().map(EndpointConfig::name).toList() + ")"));
    }
}
