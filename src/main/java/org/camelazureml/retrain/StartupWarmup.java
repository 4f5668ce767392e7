package org.camelazureml.retrain;

import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.azureml.ServiceTarget;
import org.camelazureml.retrain.state.RunJson;

/**
 * Start-up work taken off the path to the first submit, done on daemon threads while the main thread is busy:
 * {@link #start()}, first thing in a {@code --once} process while picocli and camel-main boot, loads Jackson with the
 * run record's and the BES bodies' (de)serialisers and Apache HttpClient 5 with its TLS set-up (camel-http sets up
 * TLS for http URLs too); {@link #prepareClient} creates the training endpoint's HTTP client while the first run is
 * being created. The results are the same objects the run would build itself; a failure here is ignored (the run
 * meets it again).
 */
final class StartupWarmup {

    private StartupWarmup() {
    }

    static void start() {
        background("retrain-warm-up", () -> {
            RunJson.warmUp();
            AzureMlClient.warmUpJson();
            // built with a connection manager and the default TLS context, as camel-http builds its own
            HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().build())
                    .build().close();
        });
    }

    static void prepareClient(AzureMlClient azureMl, ServiceTarget target) {
        background("retrain-warm-up-client", () -> azureMl.prepare(target));
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void background(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Exception | LinkageError ignored) {
                // only a head start: the run does the same work and reports its own problems
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
