package org.camelazureml.retrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.camelazureml.retrain.config.InvalidConfigurationException;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.CreateRollback;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.steps.RunStep;

/**
 * The application on camel-main: loads the properties and route files, installs the pipeline, then either keeps
 * running on the schedule or makes one run and stops. Exit codes: 0 success, 1 the run failed, 2 configuration or
 * usage error.
 */
public final class RetrainRuntime {

    public static final int EXIT_OK = 0;
    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_CONFIG = 2;

    /** The route files packaged in the jar; a user's edited copy replaces them with {@code --routes}. */
    public static final String DEFAULT_ROUTES = "classpath:routes/retrain.camel.yaml";

    // No main class: camel-main would scan its package for RouteBuilder classes; the routes are the YAML files.
    private final Main main = new Main();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private PipelineResources resources;
    private RetrainRun lastRun;

    /**
     * @param configFile a properties file that overrides the packaged defaults; null for
     *                   {@code ./application.properties} when present
     * @param routes     route files to load (Camel resource pattern), null for the packaged ones
     */
    public RetrainRuntime(Path configFile, String routes) {
        main.setPropertyPlaceholderLocations(propertyLocations(configFile));
        main.configure().withRoutesIncludePattern(routes != null ? routes : DEFAULT_ROUTES);
    }

    /**
     * Where settings come from: the packaged defaults, then the user's file ({@code --config}, else
     * {@code ./application.properties} when present). System properties and environment variables win over both.
     *
     * @throws InvalidConfigurationException when {@code configFile} is given but cannot be read
     */
    public static String propertyLocations(Path configFile) {
        requireReadable(configFile);
        return "classpath:application.properties;optional=true,"
                + (configFile != null ? "file:" + configFile.toAbsolutePath() : "file:application.properties;optional=true");
    }

    /** A configuration file that was asked for must be there: falling back to the defaults would hide the mistake. */
    public static void requireReadable(Path configFile) {
        if (configFile == null) {
            return;
        }
        String problem = !Files.exists(configFile) ? "does not exist"
                : !Files.isRegularFile(configFile) ? "is not a file"
                : !Files.isReadable(configFile) ? "is not readable" : null;
        if (problem != null) {
            throw new InvalidConfigurationException(List.of("configuration file " + configFile.toAbsolutePath() + " "
                    + problem + " (given with --config)"));
        }
    }

    /** A property that wins over files, system properties and environment (the demo and tests use it). */
    public RetrainRuntime withProperty(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** Runs on the schedule until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public int runScheduled() throws Exception {
        install(true);
        main.run();
        return EXIT_OK;
    }

    /** One run of {@code pipeline}, then stop: 0 when its model was deployed, 1 otherwise. */
    public int runOnce(String pipeline) throws Exception {
        return runOnce(camel -> {
            // an unknown or invalid pipeline: its problems, exit code 2
            StartupWarmup.prepareClient(resources.azureMl(), resources.pipeline(pipeline).training().service());
            return trigger(camel, pipeline);
        });
    }

    /** One rollback (see {@code CreateRollback}), then stop: 0 when every endpoint got the model back, 1 otherwise. */
    public int rollbackOnce(String pipeline, String endpoint, String to) throws Exception {
        return runOnce(camel -> {
            Exchange done = camel.createProducerTemplate().request("direct:retrain-rollback", exchange -> {
                exchange.getMessage().setHeader(CreateRollback.PIPELINE, pipeline);
                exchange.getMessage().setHeader(CreateRollback.TO, to);
                exchange.getMessage().setHeader(CreateRollback.ENDPOINT, endpoint);
            });
            return done.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
        });
    }

    private int runOnce(Function<CamelContext, RetrainRun> work) throws Exception {
        install(false);
        main.start();
        Thread stopOnSignal = new Thread(this::stopQuietly, "retrain-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            lastRun = work.apply(main.getCamelContext());
            return lastRun != null && lastRun.getStatus() == RunStatus.SUCCEEDED ? EXIT_OK : EXIT_RUN_FAILED;
        } finally {
            stopQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }

    /**
     * Sends one run through {@code direct:retrain} and returns it as it ended (null if it did not start: skipped, or
     * refused). The reply body itself is the {@code RunEvent}.
     */
    public static RetrainRun trigger(CamelContext camel, String pipeline) {
        Exchange done = camel.createProducerTemplate().request("direct:retrain",
                exchange -> exchange.setProperty(CreateRun.PIPELINE, pipeline));
        return done.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
    }

    /** The run {@link #runOnce} made, for callers that print it. */
    public RetrainRun lastRun() {
        return lastRun;
    }

    public PipelineResources resources() {
        return resources;
    }

    public Main main() {
        return main;
    }

    private void install(boolean scheduled) {
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                resources = RetrainPipeline.install(support.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                RetrainPipeline.addPipelineRoutes(support.getCamelContext(), resources.config(), scheduled);
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                if (scheduled) {
                    RetrainPipeline.resumeUnfinished(support.getCamelContext(), resources);
                }
            }
        });
    }

    private void stopQuietly() {
        try {
            if (main.isStarted()) {
                main.stop();
            }
        } catch (Exception e) {
            // stopping is best effort; the run's state is already recorded
        }
    }
}
