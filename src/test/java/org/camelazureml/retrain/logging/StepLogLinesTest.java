package org.camelazureml.retrain.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.support.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One log line per step transition, each with the run's pipeline, run id and (once known) job id in the MDC: the
 * lines of whole runs, captured from the steps' loggers.
 */
class StepLogLinesTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger steps = (Logger) LoggerFactory.getLogger("org.camelazureml.retrain.steps");
    private PipelineHarness harness;

    @BeforeEach
    void capture() {
        lines.start();
        steps.addAppender(lines);
    }

    @AfterEach
    void stop() {
        steps.detachAppender(lines);
        if (harness != null) {
            harness.close();
        }
    }

    /** step: message, for each line the steps logged at INFO and above. */
    private List<String> stepLines() {
        return lines.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                .map(event -> event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1) + ": "
                        + event.getFormattedMessage())
                .toList();
    }

    private void assertEveryLineCarriesTheRun(RetrainRun run, int linesBeforeTheJob) {
        for (int i = 0; i < lines.list.size(); i++) {
            Map<String, String> mdc = lines.list.get(i).getMDCPropertyMap();
            assertThat(mdc).as("MDC of " + stepLines().get(i)).containsEntry("pipeline", "default")
                    .containsEntry("runId", run.getRunId());
            if (i >= linesBeforeTheJob) {
                assertThat(mdc).as("MDC of " + stepLines().get(i)).containsEntry("jobId", run.getJobId());
            } else {
                assertThat(mdc).as("MDC of " + stepLines().get(i)).doesNotContainKey("jobId");
            }
        }
    }

    @Test
    void aSuccessfulRunLogsEachStepOnceWithTheRunInTheMdc() throws Exception {
        harness = new PipelineHarness(dir, emulator -> emulator.queueTime(Duration.ofMillis(400)));

        assertThat(harness.runOnce()).isZero();

        RetrainRun run = harness.lastRun();
        String job = run.getJobId();
        assertThat(stepLines()).satisfiesExactly(
                line -> assertThat(line).startsWith("CreateRun: Run created; the trained model will be written to"),
                line -> assertThat(line).isEqualTo("SubmitTrainingJob: Submitted training job " + job),
                line -> assertThat(line).startsWith("StartTrainingJob: Started training job " + job + "; polling every"),
                line -> assertThat(line).isEqualTo("PollTrainingJob: Training job " + job + " is NotStarted"),
                line -> assertThat(line).isEqualTo("PollTrainingJob: Training job " + job + " is Running"),
                line -> assertThat(line).isEqualTo("PollTrainingJob: Training job " + job + " finished after "
                        + run.getPollCount() + " status calls"),
                line -> assertThat(line).startsWith("FetchTrainedModel: Fetched models/" + run.getRunId()),
                line -> assertThat(line).isEqualTo("CheckQualityGate: No quality gate configured: the model goes to"
                        + " [default]"),
                line -> assertThat(line).startsWith("UpdateScoringResource: Scoring endpoint 'default'"),
                line -> assertThat(line).startsWith("CompleteRun: Run SUCCEEDED in "));
        assertThat(run.getPollCount()).as("several status calls, one line per status change").isGreaterThan(3);
        assertEveryLineCarriesTheRun(run, 1);
    }

    @Test
    void aFailedJobEndsWithOneFailureLine() throws Exception {
        harness = new PipelineHarness(dir, emulator -> emulator.faults("job:failed=Out of memory"));

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(stepLines()).hasSizeGreaterThanOrEqualTo(5).last().asString()
                .startsWith("FailRun: Run FAILED at step 'poll training job': training job " + run.getJobId()
                        + " failed on the service: Out of memory");
        assertThat(lines.list.get(lines.list.size() - 1).getLevel()).isEqualTo(Level.ERROR);
        assertEveryLineCarriesTheRun(run, 1);
    }
}
