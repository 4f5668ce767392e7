package org.camelazureml.retrain.emulator;

import java.util.regex.Pattern;

/** Keeps secrets out of messages: SAS signatures and account keys. */
final class Redaction {

    private static final Pattern SIGNATURE = Pattern.compile("(?i)(sig=)[^&\\s\"]*");
    private static final Pattern ACCOUNT_KEY = Pattern.compile("(?i)(AccountKey=)[^;\\s\"]*");

    private Redaction() {
    }

    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = SIGNATURE.matcher(text).replaceAll("$1REDACTED");
        return ACCOUNT_KEY.matcher(redacted).replaceAll("$1REDACTED");
    }
}
