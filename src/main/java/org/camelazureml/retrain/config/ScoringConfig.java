package org.camelazureml.retrain.config;

import java.time.Duration;

import org.camelazureml.retrain.azureml.ServiceTarget;

/**
 * The scoring web service's non-default endpoint to put the new model behind: its UpdateResource URL and key, the
 * trained model's resource name, and how long the read-only SAS we hand it stays valid.
 */
public record ScoringConfig(ServiceTarget endpoint, String trainedModelName, Duration sasValidity) {
}
