package org.camelazureml.retrain.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camelazureml.retrain.azureml.ServiceTarget;

/**
 * The training web service (Batch Execution Service): where to send jobs, which blobs are its inputs, where each
 * output goes ({@code {runId}} makes every run's path unique), which outputs are trained models, and the
 * experiment's global parameters.
 */
public record TrainingConfig(
        ServiceTarget service,
        Map<String, String> inputs,
        Map<String, String> outputs,
        List<String> modelOutputs,
        Map<String, String> globalParameters) {

    /** The output paths of one run: {@code {runId}} and {@code {pipeline}} filled in. */
    public Map<String, String> outputsFor(String pipeline, String runId) {
        Map<String, String> resolved = new LinkedHashMap<>();
        outputs.forEach((port, template) -> resolved.put(port,
                template.replace("{runId}", runId).replace("{pipeline}", pipeline)));
        return resolved;
    }
}
