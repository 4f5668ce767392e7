package org.camelazureml.retrain.logging;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.camelazureml.retrain.config.Redaction;

/**
 * One JSON object per log line: {@code timestamp} (ISO-8601 UTC, milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then {@code pipeline}, {@code runId}, {@code jobId} when the MDC holds them, and
 * {@code exception} (the stack trace as one string) when there is one. Every string value passes through
 * {@link Redaction}, as the text format's {@code %redact} does.
 */
public class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

    /** The MDC keys the steps set (see steps.RunMdc), written as fields of the same name. */
    static final List<String> MDC_FIELDS = List.of("pipeline", "runId", "jobId");

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp",
                    DateTimeFormatter.ISO_INSTANT.format(event.getInstant().truncatedTo(ChronoUnit.MILLIS)));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", masked(event.getLoggerName()));
            json.writeStringField("thread", masked(event.getThreadName()));
            json.writeStringField("message", masked(event.getFormattedMessage()));
            Map<String, String> mdc = event.getMDCPropertyMap();
            for (String field : MDC_FIELDS) {
                String value = mdc == null ? null : mdc.get(field);
                if (value != null) {
                    json.writeStringField(field, masked(value));
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception", masked(ThrowableProxyUtil.asString(thrown)));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log line as JSON", e); // a StringWriter does not fail
        }
        line.append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    private static String masked(String text) {
        return text == null ? "" : Redaction.redact(text);
    }
}
