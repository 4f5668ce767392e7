package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.azure.storage.blob.BlobServiceClient;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.EndpointDescription;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.storage.BlobLocation;

/**
 * {@code check}: what a first scheduled run would trip over, found without changing anything. It reads, never
 * writes: the training key is tried on a job id that cannot exist (401 means a wrong key, 404 a right one), the
 * scoring endpoints are described, the storage is asked whether containers and input blobs exist.
 */
final class Preflight {

    enum Result { OK, WARN, FAIL }

    record Check(String pipeline, String what, Result result, String detail) {
    }

    private static final String NO_SUCH_JOB = "00000000000000000000000000000000";

    private final PipelineResources resources;
    private final List<Check> checks = new ArrayList<>();

    Preflight(PipelineResources resources) {
        this.resources = resources;
    }

    List<Check> run(PipelineConfig pipeline) {
        training(pipeline);
        storage(pipeline);
        for (EndpointConfig endpoint : pipeline.scoring().endpoints()) {
            endpoint(pipeline, endpoint);
        }
        return checks;
    }

    private void training(PipelineConfig pipeline) {
        String what = "training web service " + pipeline.training().service().url();
        try {
            resources.azureMl().jobStatus(pipeline.training().service(), NO_SUCH_JOB);
            add(pipeline, what, Result.WARN, "answered for a job that cannot exist; is this a BES jobs URL?");
        } catch (AzureMlCallException e) {
            switch (e.httpStatus()) {
                case 404 -> add(pipeline, what, Result.OK, "reachable, API key accepted");
                case 401, 403 -> add(pipeline, what, Result.FAIL, "API key refused: check retrain.training.api-key");
                case 0 -> add(pipeline, what, Result.FAIL, "unreachable: " + e.getMessage());
                default -> add(pipeline, what, Result.WARN, e.getMessage());
            }
        }
    }

    private void storage(PipelineConfig pipeline) {
        BlobServiceClient blobs = resources.storage(pipeline.name()).client();
        Set<String> containers = new LinkedHashSet<>();
        try {
            for (var input : pipeline.training().inputs().entrySet()) {
                BlobLocation blob = BlobLocation.parse(input.getValue());
                containers.add(blob.container());
                boolean exists = blobs.getBlobContainerClient(blob.container()).getBlobClient(blob.blobName()).exists();
                add(pipeline, "input " + input.getKey() + " " + blob, exists ? Result.OK : Result.FAIL,
                        exists ? "exists" : "not found in storage account " + resources.storage(pipeline.name())
                                .connection().accountName());
            }
            for (String template : pipeline.training().outputs().values()) {
                String container = template.substring(0, template.indexOf('/'));
                if (containers.add(container)) {
                    boolean exists = blobs.getBlobContainerClient(container).exists();
                    add(pipeline, "output container " + container, exists ? Result.OK : Result.WARN,
                            exists ? "exists" : "does not exist yet; the training service may need it");
                }
            }
        } catch (RuntimeException e) {
            add(pipeline, "storage account", Result.FAIL, "cannot be read: " + Redaction.redact(e.getMessage()));
        }
    }

    private void endpoint(PipelineConfig pipeline, EndpointConfig endpoint) {
        String what = "scoring endpoint " + endpoint.name() + " " + endpoint.target().url();
        Optional<EndpointDescription> description;
        try {
            description = resources.azureMl().describeEndpoint(endpoint.target());
        } catch (AzureMlCallException e) {
            add(pipeline, what, Result.FAIL, switch (e.httpStatus()) {
                case 401, 403 -> "API key refused: each endpoint has its own key";
                case 404 -> "not found: check the workspace, web service id and endpoint name";
                default -> e.getMessage();
            });
            return;
        }
        if (description.isEmpty()) {
            add(pipeline, what, Result.WARN, "reachable, key accepted; its description does not list its updatable"
                    + " resources, so the trained model name cannot be checked");
            return;
        }
        List<String> names = description.get().resources().stream().map(EndpointDescription.Resource::name).toList();
        if (names.isEmpty()) {
            add(pipeline, what, Result.FAIL, "has no updatable resources: is it the training web service?");
        } else if (names.contains(endpoint.trainedModelName())) {
            add(pipeline, what, Result.OK, "reachable, key accepted, updatable resource '"
                    + endpoint.trainedModelName() + "' exists");
        } else {
            add(pipeline, what, Result.FAIL, "has no updatable resource '" + endpoint.trainedModelName()
                    + "'; it has " + names);
        }
    }

    private void add(PipelineConfig pipeline, String what, Result result, String detail) {
        checks.add(new Check(pipeline.name(), what, result, detail));
    }
}
