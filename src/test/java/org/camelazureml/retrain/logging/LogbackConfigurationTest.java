package org.camelazureml.retrain.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged logging configuration (and the tests') must load: a broken one falls back to logback's defaults, unredacted. */
class LogbackConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"logback.xml", "logback-test.xml"})
    void loadsWithoutErrors(String file) throws Exception {
        URL url = getClass().getClassLoader().getResource(file);
        assertThat(url).as(file + " on the classpath").isNotNull();
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);

        configurator.doConfigure(url);

        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(status -> status.getLevel() >= Status.WARN)
                .extracting(Status::getMessage).isEmpty();
        if (file.equals("logback.xml")) { // Camel's property resolver logs resolved values (keys too) below INFO
            assertThat(context.getLogger("org.apache.camel.component.properties").getLevel()).hasToString("INFO");
        }
    }
}
