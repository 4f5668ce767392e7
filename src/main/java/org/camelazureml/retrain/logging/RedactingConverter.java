package org.camelazureml.retrain.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import org.camelazureml.retrain.config.Redaction;

/**
 * Logback {@code %redact(...)}: masks SAS signatures, account keys and bearer tokens in whatever the wrapped
 * pattern renders, including stack traces of third-party exceptions. Our own code never logs a secret; this
 * catches what libraries might.
 */
public class RedactingConverter extends CompositeConverter<ILoggingEvent> {

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return Redaction.redact(in);
    }
}
