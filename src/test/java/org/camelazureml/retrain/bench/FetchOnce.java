package org.camelazureml.retrain.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.storage.BlobLocation;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.steps.RunStep;
import org.camelazureml.retrain.support.TestAzureMl;

/**
 * One model fetch in its own JVM, so its memory can be measured alone: the pipeline's real fetch step (the
 * {@code fetchTrainedModel} bean the route calls) on a run record at step FETCH whose model output is the given blob.
 * Prints one {@code RESULT} line: bytes, fetch nanoseconds, SHA-256 recorded in the run, peak heap during the fetch
 * (sum of the heap pools' peaks, an upper bound) and the process's peak RSS (VmHWM).
 *
 * <p>Arguments: PROPERTIES_FILE BLOB(container/path) RUN_ID [WARMUP_FETCHES]
 */
public final class FetchOnce {

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        Bench.load(Path.of(args[0])).forEach((k, v) -> properties.put((String) k, (String) v));
        String blob = args[1];
        String runId = args[2];
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 0;

        CamelContext camel = new DefaultCamelContext();
        PipelineResources resources = RetrainPipeline.install(camel, TestAzureMl.config(properties));
        camel.start();
        try {
            for (int i = 1; i <= warmups; i++) {
                RetrainRun.ModelRecord model = fetch(camel, resources, blob, runId + "-warmup-" + i);
                Files.deleteIfExists(Path.of(model.archivePath()));
            }
            // As in the pipeline: the start step prepares the storage client while the training job runs.
            resources.storage("default").prepare(BlobLocation.parse(blob).container()).join();
            System.gc();
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
            // timed from the step's start to its end: the run record at FETCH is saved before, as the poll step does
            Exchange exchange = runAtFetch(camel, resources, blob, runId);
            Processor step = fetchStep(camel);
            long started = System.nanoTime();
            step.process(exchange);
            long nanos = System.nanoTime() - started;
            RetrainRun.ModelRecord model = archived(resources, runId);
            long peakHeap = heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.println("RESULT bytes=" + model.sizeBytes() + " nanos=" + nanos + " sha256=" + model.sha256()
                    + " peakHeapBytes=" + peakHeap + " maxHeapBytes=" + Runtime.getRuntime().maxMemory()
                    + " vmHwmKib=" + Bench.procStatusKib(ProcessHandle.current().pid(), "VmHWM")
                    + " archive=" + model.archivePath());
        } finally {
            camel.stop();
        }
    }

    static RetrainRun.ModelRecord fetch(CamelContext camel, PipelineResources resources, String blob,
            String runId) throws Exception {
        fetchStep(camel).process(runAtFetch(camel, resources, blob, runId));
        return archived(resources, runId);
    }

    /** A run record at step FETCH whose model output is the blob, saved, on an exchange for the fetch step. */
    static Exchange runAtFetch(CamelContext camel, PipelineResources resources, String blob, String runId) {
        RetrainRun run = new RetrainRun(runId, "default", Instant.now());
        run.setOutputs(Map.of("output1", blob));
        run.enter(PipelineStep.FETCH, Instant.now());
        resources.runStore().save(run);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(RunStep.RUN_PROPERTY, run);
        return exchange;
    }

    static Processor fetchStep(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("fetchTrainedModel", Processor.class);
    }

    /** The model the fetch step recorded in the stored run, which must have moved on to the gate. */
    static RetrainRun.ModelRecord archived(PipelineResources resources, String runId) {
        RetrainRun stored = resources.runStore().find("default", runId).orElseThrow();
        RetrainRun.ModelRecord model = stored.model("output1");
        if (model == null || stored.getStep() != PipelineStep.GATE) {
            throw new IllegalStateException("the fetch did not archive the model: step " + stored.getStep());
        }
        return model;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
