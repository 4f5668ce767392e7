package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipelines}: every configured pipeline, its schedule, models, endpoints, gate and last run. */
@Command(name = "pipelines", description = "List the configured pipelines (and the ones left out because their"
        + " definition is wrong).")
public class PipelinesCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (Operations ops = Operations.open(common.config)) {
            List<Map<String, Object>> pipelines = new ArrayList<>();
            for (PipelineConfig pipeline : ops.config().pipelines().values()) {
                List<RetrainRun> last = ops.store().list(pipeline.name(), 1);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pipeline", pipeline.name());
                row.put("valid", true);
                row.put("schedule", Durations.format(pipeline.schedulePeriod()));
                row.put("models", pipeline.training().modelOutputs());
                row.put("endpoints", pipeline.scoring().endpoints().stream().map(EndpointConfig::name).toList());
                row.put("gate", pipeline.hasGate() ? pipeline.gate().metric() + " ("
                        + (pipeline.gate().higherIsBetter() ? "higher" : "lower") + " is better)" : null);
                row.put("lastRun", last.isEmpty() ? null : last.get(0).getRunId());
                row.put("lastStatus", last.isEmpty() ? null : last.get(0).getStatus());
                pipelines.add(row);
            }
            ops.config().invalidPipelines().forEach((name, problems) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pipeline", name);
                row.put("valid", false);
                row.put("problems", problems);
                pipelines.add(row);
            });
            if (common.json) {
                System.out.println(RunJson.toJson(pipelines));
                return 0;
            }
            TextTable table = new TextTable("PIPELINE", "SCHEDULE", "MODELS", "ENDPOINTS", "GATE", "LAST RUN", "STATUS");
            for (Map<String, Object> row : pipelines) {
                if (Boolean.TRUE.equals(row.get("valid"))) {
                    table.row(row.get("pipeline"), row.get("schedule"), join(row.get("models")),
                            join(row.get("endpoints")), row.get("gate"), row.get("lastRun"), row.get("lastStatus"));
                } else {
                    table.row(row.get("pipeline"), "-", "-", "-", "-", "-",
                            "INVALID (" + ((List<?>) row.get("problems")).size() + " problems, see `check`)");
                }
            }
            table.print(System.out);
            return 0;
        }
    }

    private static String join(Object list) {
        return String.join(",", ((List<?>) list).stream().map(String::valueOf).toList());
    }
}
