package org.camelazureml.retrain.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.TestAzureMl;

/**
 * Where a fresh JVM's first fetch spends its time: one fetch like {@link FetchOnce}, optionally after one HEAD request
 * of the same blob through the pipeline's storage client (what a storage call made while the training job runs would
 * do: load and compile the storage SDK's request path). Prints the fetch's wall time, the process CPU, the JIT
 * compilers' time and the GC time during the fetch, and how long that first HEAD took.
 *
 * <p>Arguments: PROPERTIES_FILE BLOB(container/path) RUN_ID [head-first]
 */
public final class FetchColdStartProbe {

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        Bench.load(Path.of(args[0])).forEach((k, v) -> properties.put((String) k, (String) v));
        String blob = args[1];
        boolean headFirst = args.length > 3 && args[3].equals("head-first");
        CamelContext camel = new DefaultCamelContext();
        PipelineResources resources = RetrainPipeline.install(camel, TestAzureMl.config(properties));
        camel.start();
        try {
            if (headFirst) {
                long started = System.nanoTime();
                resources.storage("default").client().getBlobContainerClient(blob.substring(0, blob.indexOf('/')))
                        .getBlobClient(blob.substring(blob.indexOf('/') + 1)).getProperties();
                System.out.println("PROBE first HEAD " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long compile = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long gc = gcMillis();
            long started = System.nanoTime();
            RetrainRun.ModelRecord model = FetchOnce.fetch(camel, resources, blob, args[2]);
            long nanos = System.nanoTime() - started;
            System.out.printf("PROBE fetch %.0f MiB/s wall %d ms, process CPU %d ms, JIT %d ms, GC %d ms, sha256 %s%n",
                    model.sizeBytes() / 1048576.0 / (nanos / 1e9), nanos / 1_000_000,
                    (os.getProcessCpuTime() - cpu) / 1_000_000,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compile, gcMillis() - gc,
                    model.sha256());
            Files.deleteIfExists(Path.of(model.archivePath()));
        } finally {
            camel.stop();
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private FetchColdStartProbe() {
    }
}
