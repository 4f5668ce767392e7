package org.camelazureml.retrain.cli;

import java.util.concurrent.Callable;

import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trigger}: runs a pipeline now, in this process, and waits for the outcome (like {@code --once}). Skipped
 * when the pipeline already has a run in flight, here or on another node sharing the run store.
 */
@Command(name = "trigger", description = "Run a pipeline now and wait for its outcome (exit 0 when deployed).")
public class TriggerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", defaultValue = RetrainConfig.DEFAULT_PIPELINE,
            description = "The pipeline (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        RetrainRuntime runtime = new RetrainRuntime(common.config, null);
        int exit = runtime.runOnce(pipeline);
        if (common.json && runtime.lastRun() != null) {
            System.out.println(RunJson.toJson(runtime.lastRun()));
        }
        return exit;
    }
}
