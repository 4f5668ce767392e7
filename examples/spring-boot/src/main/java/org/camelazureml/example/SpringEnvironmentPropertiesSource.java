package org.camelazureml.example;

import java.util.Properties;
import java.util.function.Predicate;

import org.apache.camel.spi.LoadablePropertiesSource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The {@code retrain.*} settings of Spring's environment, listable through Camel's properties component. Camel
 * Spring Boot looks single keys up in the environment but cannot list them, and the pipeline finds its map entries
 * ({@code retrain.training.inputs.<port>}, {@code retrain.pipelines.<name>.*}) by listing.
 */
final class SpringEnvironmentPropertiesSource implements LoadablePropertiesSource {

    private static final String PREFIX = "retrain.";

    private final ConfigurableEnvironment environment;

    SpringEnvironmentPropertiesSource(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public String getName() {
        return "spring-environment-retrain";
    }

    @Override
    public String getProperty(String name) {
        return name.startsWith(PREFIX) ? environment.getProperty(name) : null;
    }

    @Override
    public Properties loadProperties() {
        return loadProperties(name -> true);
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties properties = new Properties();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    String value = name.startsWith(PREFIX) && filter.test(name) ? environment.getProperty(name) : null;
                    if (value != null) {
                        properties.setProperty(name, value);
                    }
                }
            }
        }
        return properties;
    }

    @Override
    public void reloadProperties(String location) {
        // nothing cached: every call reads the environment
    }
}
