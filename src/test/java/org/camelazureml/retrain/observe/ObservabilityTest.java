package org.camelazureml.retrain.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.config.RetrainConfigLoader;
import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.MapConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics are optional and cheap; health checks are always registered; labels never take free text. */
class ObservabilityTest {

    @TempDir
    Path dataDir;

    private RetrainConfig config() {
        return RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.data.dir", dataDir.toString()));
    }

    @Test
    void withoutAMeterRegistryOrCamelMetricsEnabledThereAreHealthChecksButNoMetrics() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            PipelineResources resources = RetrainPipeline.install(camel, config());

            assertThat(resources.listeners()).noneMatch(RetrainMetrics.class::isInstance)
                    .anyMatch(LastUpdates.class::isInstance);
            assertThat(camel.getRegistry().findByType(MeterRegistry.class)).isEmpty();
            assertThat(HealthCheckRegistry.get(camel).getCheck(ConfigurationHealthCheck.ID)).isPresent();
            assertThat(HealthCheckRegistry.get(camel).getCheck(FreshnessHealthCheck.ID_PREFIX + "default")).isPresent();
            resources.close();
        }
    }

    @Test
    void camelMetricsEnabledMakesThePrometheusRegistryThatCamelServes() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.put("camel.metrics.enabled", "true");
            camel.getPropertiesComponent().setInitialProperties(properties);
            PipelineResources resources = RetrainPipeline.install(camel, config());

            assertThat(resources.listeners()).anyMatch(RetrainMetrics.class::isInstance);
            String text = camel.getRegistry().lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class)
                    .scrape();
            assertThat(text).contains("retrain_runs_total{kind=\"TRAINING\",pipeline=\"default\",status=\"SUCCEEDED\"} 0.0")
                    .contains("retrain_last_update_age_seconds{endpoint=\"default\",pipeline=\"default\"} NaN")
                    .contains("retrain_model_size_bytes{output=\"output1\",pipeline=\"default\"} NaN");
            resources.close();
        }
    }

    @Test
    void aHostsOwnMeterRegistryIsUsed() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            SimpleMeterRegistry host = new SimpleMeterRegistry();
            camel.getRegistry().bind("hostMeters", host);
            PipelineResources resources = RetrainPipeline.install(camel, config());

            assertThat(resources.listeners()).anyMatch(RetrainMetrics.class::isInstance);
            assertThat(host.find("retrain.last.update.age").tags("pipeline", "default", "endpoint", "default").gauge())
                    .isNotNull();
            resources.close();
        }
    }

    @Test
    void outcomesWithoutARunOrOfAnUnknownPipelineGetBoundedLabels() {
        RetrainConfig config = config();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetrainMetrics metrics = new RetrainMetrics(registry, config, new LastUpdates(new FileRunStore(dataDir),
                config.pipelines().keySet(), Clock.systemUTC()), Clock.systemUTC());

        metrics.onOutcome(event("default", "SKIPPED"), null);
        metrics.onOutcome(event("no-such-pipeline-" + System.nanoTime(), "FAILED"), null);

        assertThat(registry.get("retrain.runs").tags("pipeline", "default", "kind", "NONE", "status", "SKIPPED")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("retrain.runs").tags("pipeline", "unknown", "kind", "NONE", "status", "FAILED")
                .counter().count()).isEqualTo(1.0);
    }

    private static RunEvent event(String pipeline, String status) {
        return new RunEvent(RunEvent.SCHEMA, pipeline, null, null, null, null, status, null, null, "summary", List.of(),
                List.of(), List.of(), null, null, null, "node", Instant.now());
    }
}
