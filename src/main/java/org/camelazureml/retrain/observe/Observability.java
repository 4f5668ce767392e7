package org.camelazureml.retrain.observe;

import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.health.HealthCheckRegistry;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.steps.PipelineResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the pipeline observable in the context it is installed in: its health checks (group {@value #GROUP}) in
 * Camel's health check registry, and its metrics ({@link RetrainMetrics}) in the context's Micrometer registry. The
 * metrics are optional: they are kept when the context has a {@code MeterRegistry}, or when
 * {@code camel.metrics.enabled=true} asks camel-main for Prometheus metrics (then a Prometheus registry is made and
 * bound as {@value MicrometerConstants#METRICS_REGISTRY_NAME}, where camel-micrometer-prometheus finds it and serves
 * it, with Camel's own route metrics, at {@code /observe/metrics}).
 */
public final class Observability {

    /** The group of the pipeline's health checks. */
    public static final String GROUP = "retrain";

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

    private Observability() {
    }

    public static void install(CamelContext camel, PipelineResources resources) {
        RetrainConfig config = resources.config();
        LastUpdates lastUpdates = new LastUpdates(resources.runStore(), config.pipelines().keySet(), resources.clock());
        resources.addListener(lastUpdates);
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        if (health != null) {
            health.register(new ConfigurationHealthCheck(config));
            config.pipelines().values().forEach(pipeline -> health.register(new FreshnessHealthCheck(pipeline,
                    lastUpdates, resources.clock())));
        }
        meterRegistry(camel).ifPresent(registry -> resources.addListener(new RetrainMetrics(registry, config,
                lastUpdates, resources.clock())));
    }

    /** The context's meter registry; one made for camel-micrometer-prometheus when metrics are on; else none. */
    private static Optional<MeterRegistry> meterRegistry(CamelContext camel) {
        MeterRegistry found = MicrometerUtils.getMeterRegistryFromCamelRegistry(camel.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (found != null) {
            return Optional.of(found);
        }
        boolean enabled = camel.getPropertiesComponent().resolveProperty("camel.metrics.enabled")
                .map(Boolean::parseBoolean).orElse(false);
        if (!enabled) {
            LOG.debug("No MeterRegistry and camel.metrics.enabled is not true: the pipeline keeps no metrics");
            return Optional.empty();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        return Optional.of(registry);
    }
}
