package org.camelazureml.retrain.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CamelConfigSourceTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void clear() throws Exception {
        System.clearProperty("retrain.poll.interval");
        System.clearProperty("retrain.training.inputs.input2");
        camel.close();
    }

    @Test
    void systemPropertiesOverrideTheFileAndAddMapEntries() {
        Properties file = new Properties();
        file.setProperty("retrain.poll.interval", "30s");
        file.setProperty("retrain.training.inputs.input1", "data/a.csv");
        camel.getPropertiesComponent().setInitialProperties(file);
        System.setProperty("retrain.poll.interval", "1m");
        System.setProperty("retrain.training.inputs.input2", "data/b.csv");

        CamelConfigSource source = new CamelConfigSource(camel.getPropertiesComponent());

        assertThat(source.get("retrain.poll.interval")).contains("1m");
        assertThat(source.keysStartingWith("retrain.training.inputs."))
                .containsExactly("retrain.training.inputs.input1", "retrain.training.inputs.input2");
        assertThat(source.get("retrain.training.inputs.input2")).contains("data/b.csv");
        assertThat(source.get("retrain.not.set")).isEmpty();
    }
}
