package org.camelazureml.retrain.config;

import java.util.Objects;

/**
 * A configuration value that must never be printed: API keys, account keys, connection strings, SAS tokens.
 * {@link #toString()} is masked, so a secret that slips into a log line, an exception message or a printed
 * configuration shows up as {@code ******}; code that really needs the value calls {@link #reveal()}.
 */
public final class Secret {

    public static final String MASK = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value, for the one place that sends it (an HTTP header, an SDK client). */
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
