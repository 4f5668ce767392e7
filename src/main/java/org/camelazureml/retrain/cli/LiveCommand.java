package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.ModelHistory;
import org.camelazureml.retrain.state.ModelHistory.Deployment;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code live}: the model each scoring endpoint serves now, as the run history knows it. */
@Command(name = "live", description = "Show the model live on each scoring endpoint.")
public class LiveCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only this pipeline (default: all).")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        try (Operations ops = Operations.open(common.config)) {
            ModelHistory history = new ModelHistory(ops.store());
            List<Deployment> live = new ArrayList<>();
            List<String[]> none = new ArrayList<>();
            for (PipelineConfig config : ops.config().pipelines().values()) {
                if (pipeline != null && !pipeline.equals(config.name())) {
                    continue;
                }
                for (EndpointConfig endpoint : config.scoring().endpoints()) {
                    history.live(config.name(), endpoint.name()).ifPresentOrElse(live::add,
                            () -> none.add(new String[] {config.name(), endpoint.name(), endpoint.trainedModelName()}));
                }
            }
            if (common.json) {
                System.out.println(RunJson.toJson(live));
                return 0;
            }
            TextTable table = new TextTable("PIPELINE", "ENDPOINT", "RESOURCE", "MODEL SHA256", "TRAINED BY",
                    "DEPLOYED BY", "LIVE SINCE");
            live.forEach(d -> table.row(d.pipeline(), d.endpoint(), d.resourceName(), d.sha256(), d.trainedByRun(),
                    d.byRun() + (d.kind() == org.camelazureml.retrain.state.RunKind.ROLLBACK ? " (rollback)" : ""),
                    d.liveFrom()));
            none.forEach(row -> table.row(row[0], row[1], row[2], "(none deployed by this tool)", "-", "-", "-"));
            table.print(System.out);
            return 0;
        }
    }
}
