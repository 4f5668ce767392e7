package org.camelazureml.retrain.azureml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A BES job's {@code StatusCode}. The service sends names; an older documented variant sends the integers 0..4
 * in declaration order, so both are accepted (as Microsoft's own Python sample does).
 */
public enum JobStatus {
    NotStarted(false),
    Running(false),
    Failed(true),
    Cancelled(true),
    Finished(true);

    private final boolean terminal;

    JobStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** Finished, Failed or Cancelled: polling stops. */
    public boolean isTerminal() {
        return terminal;
    }

    @JsonValue
    public String wireName() {
        return name();
    }

    @JsonCreator
    public static JobStatus fromWire(Object value) {
        if (value instanceof Number number) {
            int index = number.intValue();
            if (index >= 0 && index < values().length && number.doubleValue() == index) {
                return values()[index];
            }
        } else if (value instanceof String text) {
            String trimmed = text.trim();
            for (JobStatus status : values()) {
                if (status.name().toLowerCase(Locale.ROOT).equals(trimmed.toLowerCase(Locale.ROOT))) {
                    return status;
                }
            }
            if (trimmed.matches("[0-4]")) {
                return values()[Integer.parseInt(trimmed)];
            }
        }
        throw new IllegalArgumentException("unknown BES StatusCode '" + value + "' (expected NotStarted, Running, Failed,"
                + " Cancelled, Finished or 0..4)");
    }
}
