package org.camelazureml.example;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.steps.PipelineResources;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Installs the pipeline into the CamelContext Spring Boot made, before it starts: {@code retrain.*} is read from
 * Spring's environment (application.properties, profiles, environment variables), the route file's components are
 * the Boot-configured ones ({@code camel.component.*}), and any route can call {@code direct:retrain}.
 */
@Configuration
public class RetrainPipelineConfiguration {

    @Bean
    CamelContextConfiguration retrainPipeline(ConfigurableEnvironment environment,
            @Value("${retrain-example.scheduled:true}") boolean scheduled) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getPropertiesComponent().addPropertiesSource(new SpringEnvironmentPropertiesSource(environment));
                PipelineResources retrain = RetrainPipeline.install(camel);
                RetrainPipeline.loadRoutes(camel, RetrainRuntime.DEFAULT_ROUTES);
                RetrainPipeline.addPipelineRoutes(camel, retrain.config(), scheduled);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
