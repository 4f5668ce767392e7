package org.camelazureml.retrain.config;

import java.time.Duration;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/** Durations as Camel writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1h30m}, or plain milliseconds. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("\\d+|(\\d+(ms|s|m|h|d))+");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the expected format */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!FORMAT.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("must be a duration such as 30s, 5m, 2h or 1d (or milliseconds), not '"
                    + trimmed + "'");
        }
        return Duration.ofMillis(TimeUtils.toMilliSeconds(trimmed));
    }

    /** For people: {@code 150ms}, {@code 1.2s}, {@code 5m3s}, {@code 2h}, {@code 1d}, {@code 1h30m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format(java.util.Locale.ROOT, "%.1f",
                    millis / 1000.0)) + "s";
        }
        StringBuilder text = new StringBuilder();
        long seconds = duration.toSeconds();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i]) {
                text.append(seconds / sizes[i]).append(units[i]);
                seconds %= sizes[i];
            }
        }
        return text.toString();
    }
}
