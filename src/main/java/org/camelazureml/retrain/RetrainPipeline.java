package org.camelazureml.retrain;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.config.CamelConfigSource;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.config.RetrainConfigLoader;
import org.camelazureml.retrain.notify.DescribeOutcome;
import org.camelazureml.retrain.notify.SendNotification;
import org.camelazureml.retrain.observe.Observability;
import org.camelazureml.retrain.state.RunStores;
import org.camelazureml.retrain.steps.CheckQualityGate;
import org.camelazureml.retrain.steps.ChoosePipeline;
import org.camelazureml.retrain.steps.CompleteRun;
import org.camelazureml.retrain.steps.CreateRollback;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.steps.FailRun;
import org.camelazureml.retrain.steps.FetchTrainedModel;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.steps.PollTrainingJob;
import org.camelazureml.retrain.steps.RetryPolicy;
import org.camelazureml.retrain.steps.StartTrainingJob;
import org.camelazureml.retrain.steps.SubmitTrainingJob;
import org.camelazureml.retrain.steps.UpdateScoringResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the retraining pipeline into a CamelContext: reads and validates {@code retrain.*}, binds the step processors
 * the route file refers to ({@code createRun}, {@code submitTrainingJob}, ...), and registers its health checks and
 * metrics ({@link Observability}). The same two calls serve this project's own main and a host application that
 * embeds the routes.
 */
public final class RetrainPipeline {

    /** The route template in the route file that makes each pipeline's own route. */
    public static final String PIPELINE_TEMPLATE = "retrain-pipeline";
    /** The route template in the route file that makes one schedule route per pipeline. */
    public static final String SCHEDULE_TEMPLATE = "retrain-schedule";

    /** The registry name of the shared worker pool the route file's delays and retries use. */
    public static final String WORKERS = "retrainWorkers";

    private static final Logger LOG = LoggerFactory.getLogger(RetrainPipeline.class);

    private RetrainPipeline() {
    }

    /**
     * Reads the configuration from the context's properties and binds the steps.
     *
     * @throws org.camelazureml.retrain.config.InvalidConfigurationException listing every problem
     */
    public static PipelineResources install(CamelContext camel) {
        return install(camel, RetrainConfigLoader.load(new CamelConfigSource(camel.getPropertiesComponent())));
    }

    public static PipelineResources install(CamelContext camel, RetrainConfig config) {
        PipelineResources resources = new PipelineResources(config, RunStores.open(config.store()),
                new AzureMlClient(camel), Clock.systemUTC());
        Registry registry = camel.getRegistry();
        registry.bind("retrainConfig", config);
        // One pool for every pipeline's route (the poll delay, retries, the steps after a wait); Camel's default is a
        // pool per route and per delay, which with many pipelines means thousands of threads. Camel shuts it down.
        registry.bind(WORKERS, camel.getExecutorServiceManager().newScheduledThreadPool(RetrainPipeline.class,
                "retrain-worker", config.node().workerThreads()));
        registry.bind("createRun", new CreateRun(resources));
        registry.bind("submitTrainingJob", new SubmitTrainingJob(resources));
        registry.bind("startTrainingJob", new StartTrainingJob(resources));
        registry.bind("pollTrainingJob", new PollTrainingJob(resources));
        registry.bind("fetchTrainedModel", new FetchTrainedModel(resources, camel));
        RetryPolicy retryPolicy = new RetryPolicy(resources);
        registry.bind("checkQualityGate", new CheckQualityGate(resources));
        registry.bind("updateScoringResource", new UpdateScoringResource(resources, retryPolicy));
        registry.bind("completeRun", new CompleteRun(resources));
        registry.bind("failRun", new FailRun(resources));
        registry.bind("retryPolicy", retryPolicy);
        registry.bind("choosePipeline", new ChoosePipeline(resources));
        registry.bind("createRollback", new CreateRollback(resources));
        registry.bind("describeOutcome", new DescribeOutcome(resources));
        registry.bind("sendNotification", new SendNotification(camel));
        Observability.install(camel, resources);
        return resources;
    }

    /**
     * Loads route files into the context, e.g. {@code classpath:routes/retrain.camel.yaml} (packaged) or
     * {@code file:my-routes/retrain.camel.yaml}. For a host application; the runtime lets camel-main do this.
     */
    public static void loadRoutes(CamelContext camel, String location) {
        Resource routes = PluginHelper.getResourceLoader(camel).resolveResource(location);
        if (routes == null || !routes.exists()) {
            throw new IllegalArgumentException("route file not found: " + location);
        }
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(routes);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load routes from " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends every pipeline that has an unfinished run (the process stopped or crashed while it was in flight)
     * through {@code direct:retrain} at once, without waiting for the schedule: the run continues where it was.
     */
    public static void resumeUnfinished(CamelContext camel, PipelineResources resources) {
        ProducerTemplate template = camel.createProducerTemplate();
        for (PipelineConfig pipeline : resources.config().pipelines().values()) {
            if (resources.runStore().unfinished(pipeline.name()).isPresent()) {
                template.asyncSend("direct:retrain", exchange -> exchange.setProperty(CreateRun.PIPELINE,
                        pipeline.name()));
            }
        }
    }

    /**
     * Adds each valid pipeline's own route (from the route file's {@value #PIPELINE_TEMPLATE} template, reachable
     * as {@code direct:retrain-<pipeline>}) and, when {@code scheduled}, its schedule route ({@value #SCHEDULE_TEMPLATE}).
     * Pipelines whose definition is wrong are reported by name and left out; the others start.
     */
    public static void addPipelineRoutes(CamelContext camel, RetrainConfig config, boolean scheduled) {
        config.invalidPipelines().forEach((name, problems) -> LOG.error("Pipeline '{}' is not started, its definition"
                + " has {} problem(s):{}", name, problems.size(), String.join("", problems.stream()
                        .map(problem -> System.lineSeparator() + "  - " + problem).toList())));
        for (PipelineConfig pipeline : config.pipelines().values()) {
            TemplatedRouteBuilder.builder(camel, PIPELINE_TEMPLATE)
                    .routeId("retrain-" + pipeline.name())
                    .parameter("pipeline", pipeline.name())
                    .add();
            if (scheduled) {
                TemplatedRouteBuilder.builder(camel, SCHEDULE_TEMPLATE)
                        .routeId("retrain-schedule-" + pipeline.name())
                        .parameter("pipeline", pipeline.name())
                        .parameter("period", pipeline.schedulePeriod().toMillis())
                        .parameter("initialDelay", pipeline.scheduleInitialDelay().toMillis())
                        .add();
            }
        }
    }
}
