package org.camelazureml.retrain.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {

    private static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==";
    private static final String SAS_SIGNATURE = "AbC%2B123%3D";
    private static final String BEARER_TOKEN = "eyJhbGciOi.secret-api-key";

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("org.camelazureml.retrain.steps.FetchTrainedModel");
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode encode(LoggingEvent event) throws Exception {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain(ACCOUNT_KEY, SAS_SIGNATURE, BEARER_TOKEN);
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        return mapper.readTree(line);
    }

    @Test
    void writesOneMaskedJsonObjectWithTheRunFromTheMdc() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "Fetched {} with \"quotes\", a tab\tand a new line\nfrom DefaultEndpointsProtocol=https;AccountName=a;"
                        + "AccountKey={}", null, new Object[] {"https://a.blob/c/m.ilearner?sv=1&sig=" + SAS_SIGNATURE,
                        ACCOUNT_KEY});
        event.setInstant(Instant.parse("2026-11-28T03:41:33.123456Z"));
        event.setThreadName("Camel (camel-1) thread #3 - Delay");
        event.setMDCPropertyMap(Map.of("pipeline", "churn", "runId", "20261128-034133-abcdef",
                "jobId", "job-1 Bearer " + BEARER_TOKEN, "unrelated", "x"));

        JsonNode json = encode(event);

        assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-28T03:41:33.123Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("org.camelazureml.retrain.steps.FetchTrainedModel");
        assertThat(json.get("thread").asText()).isEqualTo("Camel (camel-1) thread #3 - Delay");
        assertThat(json.get("message").asText()).isEqualTo("Fetched https://a.blob/c/m.ilearner?sv=1&sig=******"
                + " with \"quotes\", a tab\tand a new line\nfrom DefaultEndpointsProtocol=https;AccountName=a;"
                + "AccountKey=******");
        assertThat(json.get("pipeline").asText()).isEqualTo("churn");
        assertThat(json.get("runId").asText()).isEqualTo("20261128-034133-abcdef");
        assertThat(json.get("jobId").asText()).isEqualTo("job-1 Bearer ******");
        assertThat(json.has("unrelated")).isFalse();
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void masksTheStackTraceAndLeavesOutMdcFieldsThatAreNotSet() throws Exception {
        Exception cause = new IllegalStateException("storage refused AccountKey=" + ACCOUNT_KEY);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "Run FAILED",
                new RuntimeException("GET ?sig=" + SAS_SIGNATURE + " failed", cause), null);
        event.setMDCPropertyMap(Map.of("pipeline", "default"));

        JsonNode json = encode(event);

        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("pipeline").asText()).isEqualTo("default");
        assertThat(json.has("runId")).isFalse();
        assertThat(json.has("jobId")).isFalse();
        assertThat(json.get("exception").asText())
                .startsWith("java.lang.RuntimeException: GET ?sig=****** failed")
                .contains("Caused by: java.lang.IllegalStateException: storage refused AccountKey=******",
                        "at org.camelazureml.retrain.logging.JsonLogEncoderTest");
    }
}
