package org.camelazureml.retrain.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged logging configuration (and the tests') must load: a broken one falls back to logback's defaults, unredacted. */
class LogbackConfigurationTest {

    @ParameterizedTest
    @CsvSource({"logback.xml, text", "logback.xml, json", "logback.xml, ''", "logback-test.xml, text"})
    void loadsWithoutErrors(String file, String format) throws Exception {
        LoggerContext context = configure(file, format);

        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(status -> status.getLevel() >= Status.WARN)
                .extracting(Status::getMessage).isEmpty();
        if (file.equals("logback.xml")) { // Camel's property resolver logs resolved values (keys too) below INFO
            assertThat(context.getLogger("org.apache.camel.component.properties").getLevel()).hasToString("INFO");
        }
    }

    @ParameterizedTest
    @CsvSource({"text, false", "json, true", "'', false", "JSON, true"})
    void theFormatPicksTheConsoleEncoder(String format, boolean json) throws Exception {
        LoggerContext context = configure("logback.xml", format);
        Logger logger = context.getLogger("org.camelazureml.retrain.steps.CreateRun");
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) context
                .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "Run created with AccountKey=s3cr3t", null, null);
        event.setMDCPropertyMap(Map.of("pipeline", "default", "runId", "r1"));

        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);

        assertThat(line).doesNotContain("s3cr3t").contains("AccountKey=******");
        if (json) {
            assertThat(new ObjectMapper().readTree(line).get("runId").asText()).isEqualTo("r1");
        } else {
            assertThat(line).contains(" INFO  [default run=r1] CreateRun - Run created");
        }
    }

    private LoggerContext configure(String file, String format) throws Exception {
        URL url = getClass().getClassLoader().getResource(file);
        assertThat(url).as(file + " on the classpath").isNotNull();
        LoggerContext context = new LoggerContext();
        if (!format.isEmpty()) { // as RETRAIN_LOG_FORMAT from the environment or -D would
            context.putProperty("RETRAIN_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(url);
        return context;
    }
}
