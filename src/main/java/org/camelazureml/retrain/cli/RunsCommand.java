package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runs}: the recent runs with per-step status, durations and retries (the Airflow grid). */
@Command(name = "runs", description = "List recent runs: status of each step, how long it took, retries.")
public class RunsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only this pipeline (default: all).")
    String pipeline;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Runs per pipeline"
            + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (Operations ops = Operations.open(common.config)) {
            List<String> pipelines = pipeline != null ? List.of(ops.config().pipeline(pipeline).name())
                    : List.copyOf(ops.config().pipelines().keySet());
            List<RetrainRun> runs = new ArrayList<>();
            pipelines.forEach(name -> runs.addAll(ops.store().list(name, limit)));
            if (common.json) {
                System.out.println(RunJson.toJson(runs));
                return 0;
            }
            TextTable table = new TextTable("PIPELINE", "RUN", "KIND", "STATUS", "SUBMIT", "START", "POLL", "FETCH",
                    "GATE", "UPDATE", "TOTAL", "JOB");
            for (RetrainRun run : runs) {
                var cells = StepGrid.cells(run);
                table.row(run.getPipeline(), run.getRunId(), run.getKind(), run.getStatus(),
                        cells.get(PipelineStep.SUBMIT), cells.get(PipelineStep.START), cells.get(PipelineStep.POLL),
                        cells.get(PipelineStep.FETCH), cells.get(PipelineStep.GATE), cells.get(PipelineStep.UPDATE),
                        StepGrid.total(run), run.getJobId());
            }
            table.print(System.out);
            return 0;
        }
    }
}
