package org.camelazureml.retrain.emulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What each scoring endpoint serves, per updatable resource. */
final class ScoringEndpoints {

    /** A served model's record and the model itself, for Request-Response scoring. */
    record Deployment(ServedModel served, LinearModel model) {
    }

    private final ScoringServiceSpec service;
    private final Map<String, Map<String, Deployment>> deployments = new ConcurrentHashMap<>();

    ScoringEndpoints(ScoringServiceSpec service) {
        this.service = service;
    }

    void deploy(Deployment deployment) {
        deployments.computeIfAbsent(deployment.served().endpoint(), ep -> new ConcurrentHashMap<>())
                .put(deployment.served().resourceName(), deployment);
    }

    Optional<ServedModel> served(String endpoint, String resourceName) {
        return Optional.ofNullable(deployments.getOrDefault(endpoint, Map.of()).get(resourceName))
                .map(Deployment::served);
    }

    /** The model scoring uses: the one behind the first resource name, or the original model. */
    LinearModel scoringModel(String endpoint) {
        Deployment deployment = deployments.getOrDefault(endpoint, Map.of()).get(service.resourceNames().get(0));
        return deployment == null ? LinearModel.ORIGINAL : deployment.model();
    }
}
