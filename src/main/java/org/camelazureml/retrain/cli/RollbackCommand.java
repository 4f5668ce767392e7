package org.camelazureml.retrain.cli;

import java.util.concurrent.Callable;

import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rollback}: puts an earlier model back on scoring endpoints, through the same update step; recorded. */
@Command(name = "rollback", description = "Put an earlier model back on a scoring endpoint (exit 0 when done).")
public class RollbackCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", defaultValue = RetrainConfig.DEFAULT_PIPELINE,
            description = "The pipeline (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only this endpoint (default: all of the"
            + " pipeline's).")
    String endpoint;

    @Option(names = "--to", paramLabel = "RUN_ID|previous", required = true,
            description = "The run whose models go back, or 'previous' for the model the endpoint served before its"
                    + " current one.")
    String to;

    @Override
    public Integer call() throws Exception {
        RetrainRuntime runtime = new RetrainRuntime(common.config, null);
        int exit = runtime.rollbackOnce(pipeline, endpoint, to);
        if (common.json && runtime.lastRun() != null) {
            System.out.println(RunJson.toJson(runtime.lastRun()));
        }
        return exit;
    }
}
