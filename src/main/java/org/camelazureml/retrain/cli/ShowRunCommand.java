package org.camelazureml.retrain.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run RUN_ID}: everything recorded about one run. */
@Command(name = "run", description = "Show one run: steps, job, models, metrics, gate, endpoints, error.")
public class ShowRunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "RUN_ID", description = "The run id, as `runs` lists it.")
    String runId;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Its pipeline (default: look in all).")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        try (Operations ops = Operations.open(common.config)) {
            Optional<RetrainRun> found = (pipeline != null ? java.util.List.of(pipeline)
                    : ops.config().pipelines().keySet()).stream()
                    .map(name -> ops.store().find(name, runId)).flatMap(Optional::stream).findFirst();
            if (found.isEmpty()) {
                System.err.println("No run " + runId + (pipeline == null ? "" : " in pipeline " + pipeline));
                return 1;
            }
            if (common.json) {
                System.out.println(RunJson.toJson(found.get()));
            } else {
                print(found.get(), System.out);
            }
            return 0;
        }
    }

    private static void print(RetrainRun run, PrintStream out) {
        out.println("run        " + run.getRunId() + " (" + run.getKind() + (run.getRollbackOf() == null ? ""
                : " to run " + run.getRollbackOf()) + ")");
        out.println("pipeline   " + run.getPipeline() + " on node " + run.getOwner());
        out.println("status     " + run.getStatus() + " at step '" + run.getStep().description() + "'");
        out.println("created    " + run.getCreatedAt() + (run.getFinishedAt() == null ? "" : ", finished "
                + run.getFinishedAt() + " (" + StepGrid.total(run) + ")"));
        out.println("job        " + (run.getJobId() == null ? "-" : run.getJobId() + " (" + run.getJobStatus() + ", "
                + run.getPollCount() + " status calls)"));
        StepGrid.cells(run).forEach((step, cell) -> {
            if (!cell.isEmpty()) {
                out.println("  " + String.format("%-24s", step.description()) + cell);
            }
        });
        run.getModels().forEach(model -> out.println("model      " + model.output() + ": " + model.relativeLocation()
                + ", " + model.sizeBytes() + " bytes, sha256 " + model.sha256() + ", archived at "
                + model.archivePath()));
        if (run.getMetrics() != null) {
            out.println("metrics    " + run.getMetrics());
        }
        if (run.getGate() != null) {
            out.println("gate       " + (run.getGate().passed() ? "passed: " : "REJECTED: ") + run.getGate().reason());
        }
        run.getUpdates().forEach(update -> out.println("endpoint   " + update.endpoint() + ": " + update.status()
                + (update.sha256() == null ? "" : " sha256 " + update.sha256()) + " at " + update.at()
                + (update.error() == null ? "" : " - " + update.error())));
        if (!run.getRetries().isEmpty()) {
            out.println("retries    " + run.getRetries() + ", last: " + run.getLastRetryCause());
        }
        if (run.getError() != null) {
            out.println("error      " + run.getError());
        }
    }
}
