package org.camelazureml.retrain.config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads settings through Camel's properties component, so a value can come from {@code application.properties},
 * a JVM system property ({@code -Dretrain.training.api-key=...}), an environment variable
 * ({@code RETRAIN_TRAINING_API_KEY}) or any Camel properties function ({@code {{env:...}}}, a vault).
 * Map entries (ports, global parameters) are discovered in the properties files and system properties; an
 * environment variable can override an entry's value but cannot add one (its name would lose its case).
 */
public class CamelConfigSource implements ConfigSource {

    private final PropertiesComponent properties;

    public CamelConfigSource(PropertiesComponent properties) {
        this.properties = properties;
    }

    @Override
    public Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    @Override
    public Set<String> keysStartingWith(String prefix) {
        Set<String> keys = new TreeSet<>();
        properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames().forEach(keys::add);
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(prefix)).forEach(keys::add);
        return keys;
    }
}
