package org.camelazureml.retrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.cli.Preflight.Check;
import org.camelazureml.retrain.cli.Preflight.Result;
import org.camelazureml.retrain.config.InvalidConfigurationException;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.RunJson;
import org.camelazureml.retrain.steps.PipelineResources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code check}: the preflight. Changes nothing; exit 0 when nothing failed, 1 when a check failed, 2 when the
 * configuration itself is wrong.
 */
@Command(name = "check", description = "Check configuration, services, keys, storage and endpoints before the first"
        + " run; changes nothing (exit 0 all good, 1 a check failed, 2 configuration error).")
public class CheckCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only this pipeline (default: all).")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        List<Check> checks = new ArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setLocation(RetrainRuntime.propertyLocations(common.config));
            PipelineResources resources;
            try {
                resources = RetrainPipeline.install(camel);
            } catch (InvalidConfigurationException e) {
                System.err.println(e.getMessage());
                return RetrainRuntime.EXIT_CONFIG;
            }
            camel.start();
            try (resources) {
                resources.config().invalidPipelines().forEach((name, problems) -> problems.forEach(problem ->
                        checks.add(new Check(name, "configuration", Result.FAIL, problem))));
                for (PipelineConfig config : resources.config().pipelines().values()) {
                    if (pipeline == null || pipeline.equals(config.name())) {
                        checks.add(new Check(config.name(), "configuration", Result.OK, "valid"));
                        checks.addAll(new Preflight(resources).run(config));
                    }
                }
            }
        }
        if (common.json) {
            System.out.println(RunJson.toJson(checks));
        } else {
            TextTable table = new TextTable("PIPELINE", "RESULT", "CHECK", "DETAIL");
            checks.forEach(check -> table.row(check.pipeline(), check.result(), check.what(), check.detail()));
            table.print(System.out);
        }
        return checks.stream().anyMatch(check -> check.result() == Result.FAIL) ? 1 : 0;
    }
}
