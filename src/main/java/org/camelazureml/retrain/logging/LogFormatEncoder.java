package org.camelazureml.retrain.logging;

import java.util.Locale;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The console encoder of {@code logback.xml}: {@code <format>text</format>} writes lines with {@code <pattern>}
 * (which keeps {@code %redact}), {@code <format>json</format>} writes them with {@link JsonLogEncoder}. The format
 * comes from {@code RETRAIN_LOG_FORMAT}; this switch needs no janino (logback's {@code <if>} would).
 */
public class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    public static final String TEXT = "text";
    public static final String JSON = "json";

    private String format = TEXT;
    private String pattern;
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format == null ? TEXT : format.trim().toLowerCase(Locale.ROOT);
    }

    public String getFormat() {
        return format;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (!format.equals(JSON) && !format.equals(TEXT)) {
            addWarn("Unknown log format '" + format + "' (RETRAIN_LOG_FORMAT takes text or json); using text");
            format = TEXT;
        }
        if (format.equals(JSON)) {
            delegate = new JsonLogEncoder();
        } else {
            if (pattern == null) {
                addError("No <pattern> for the text log format");
                return;
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
