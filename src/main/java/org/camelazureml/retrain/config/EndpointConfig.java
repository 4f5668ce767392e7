package org.camelazureml.retrain.config;

import org.camelazureml.retrain.azureml.ServiceTarget;

/**
 * One scoring endpoint to keep on the new model: its UpdateResource URL and key, the trained model's resource name
 * there ("Updatable Resources"), and which training output (an {@code .ilearner}) it gets.
 */
public record EndpointConfig(String name, ServiceTarget target, String trainedModelName, String modelOutput) {
}
