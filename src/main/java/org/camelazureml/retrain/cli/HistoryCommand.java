package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.ModelHistory;
import org.camelazureml.retrain.state.ModelHistory.Deployment;
import org.camelazureml.retrain.state.RunJson;
import org.camelazureml.retrain.state.RunKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code history}: the audit log of which model served on which endpoint, from when to when. */
@Command(name = "history", description = "Show which model served on which endpoint, and when (newest first).")
public class HistoryCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only this pipeline (default: all).")
    String pipeline;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only this endpoint (default: all).")
    String endpoint;

    @Override
    public Integer call() throws Exception {
        try (Operations ops = Operations.open(common.config)) {
            ModelHistory history = new ModelHistory(ops.store());
            List<Deployment> deployments = new ArrayList<>();
            for (PipelineConfig config : ops.config().pipelines().values()) {
                if (pipeline == null || pipeline.equals(config.name())) {
                    deployments.addAll(history.deployments(config.name(), endpoint));
                }
            }
            if (common.json) {
                System.out.println(RunJson.toJson(deployments));
                return 0;
            }
            TextTable table = new TextTable("PIPELINE", "ENDPOINT", "RESOURCE", "MODEL SHA256", "TRAINED BY",
                    "DEPLOYED BY", "FROM", "UNTIL");
            deployments.forEach(d -> table.row(d.pipeline(), d.endpoint(), d.resourceName(), d.sha256(),
                    d.trainedByRun(), d.byRun() + (d.kind() == RunKind.ROLLBACK ? " (rollback)" : ""), d.liveFrom(),
                    d.replacedAt() == null ? "live" : d.replacedAt()));
            table.print(System.out);
            return 0;
        }
    }
}
