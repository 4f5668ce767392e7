package org.camelazureml.retrain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.camelazureml.retrain.bench.ScaleBench.Measure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale benchmark's harness at a tiny size (20 pipelines, 2 s jobs, 200 ms polls, one round), so CI keeps it
 * alive: the emulator process, ours and the reference each in their own JVM, the samplers and the report. It
 * asserts correctness, never speed.
 */
class ScaleBenchSmokeTest {

    private static final int PIPELINES = 20;

    @Test
    void everyRunSucceedsOnItsOwnEndpointAndTheFiguresAreRecorded(@TempDir Path work) throws Exception {
        ScaleBench.Options options = new ScaleBench.Options(PIPELINES, 2000, 200, 1, List.of("-Xmx256m"), work);

        List<Measure[]> rounds = ScaleBench.run(options);

        assertEquals(1, rounds.size());
        Measure ours = rounds.get(0)[0];
        Measure reference = rounds.get(0)[1];
        assertEquals(PIPELINES, ours.succeeded(), "runs of ours that ended SUCCEEDED");
        assertEquals(PIPELINES, ours.endpointsOnOwnModel(), "endpoints serving their own pipeline's archived model");
        assertEquals(PIPELINES, reference.succeeded(), "reference runs that patched their endpoint");
        for (Measure measure : List.of(ours, reference)) {
            assertTrue(measure.threadSamples() > 0 && measure.peakThreads() > 0, measure.who() + ": thread samples");
            assertTrue(measure.vmHwmKb() > 0, measure.who() + ": peak RSS");
            assertTrue(measure.wallMs() > 0, measure.who() + ": wall time");
            assertTrue(measure.statusCalls() >= PIPELINES, measure.who() + ": status calls timed by the caller");
            assertTrue(measure.emulatorStatusCalls() >= PIPELINES, measure.who() + ": status calls seen by the emulator");
            assertEquals(PIPELINES, measure.jobsEnded(), measure.who() + ": jobs the emulator ended in the window");
        }
        String markdown = ScaleReport.markdown(options, rounds, "test");
        assertTrue(markdown.contains("| runs correct (all rounds) | 20 / 20 | 20 / 20 |"), markdown);
    }
}
