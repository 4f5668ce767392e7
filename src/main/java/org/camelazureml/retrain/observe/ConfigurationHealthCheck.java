package org.camelazureml.retrain.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.camelazureml.retrain.config.RetrainConfig;

/**
 * Readiness check {@value #ID}: UP when every configured pipeline is valid and its route
 * ({@code retrain-<pipeline>}) is started; DOWN naming the pipelines left out because their definition is wrong (their
 * problems are in the details: configuration messages never hold secret values) and the routes not started.
 */
public class ConfigurationHealthCheck extends AbstractHealthCheck {

    public static final String ID = "retrain-config";

    private final RetrainConfig config;

    public ConfigurationHealthCheck(RetrainConfig config) {
        super(Observability.GROUP, ID);
        this.config = config;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        config.invalidPipelines().forEach((name, invalid) -> {
            problems.add("pipeline '" + name + "' is left out, its definition has " + invalid.size() + " problem(s)");
            builder.detail("invalid." + name, String.join("; ", invalid));
        });
        List<String> notStarted = config.pipelines().keySet().stream().map(name -> "retrain-" + name)
                .filter(route -> getCamelContext().getRouteController().getRouteStatus(route) != ServiceStatus.Started)
                .toList();
        if (!notStarted.isEmpty()) {
            problems.add("route(s) not started: " + String.join(", ", notStarted));
        }
        builder.detail("pipelines", String.join(",", config.pipelines().keySet()));
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", problems)).down();
        }
    }
}
