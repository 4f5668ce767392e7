package org.camelazureml.retrain.config;

import java.util.regex.Pattern;

/**
 * Last line of defence against leaking secrets through text we did not build ourselves (a remote error body,
 * an SDK exception message, a JDBC URL): masks SAS signatures, account keys, connection-string secrets, bearer
 * tokens and {@code password=} parameters.
 * Code we write never puts secrets into text in the first place; see {@link Secret}.
 */
public final class Redaction {

    private static final Pattern SAS_SIGNATURE = Pattern.compile("(?i)(sig=)[^&\\s\"';]+");
    private static final Pattern ACCOUNT_KEY = Pattern.compile("(?i)(AccountKey=)[^;\\s\"']+");
    private static final Pattern SHARED_ACCESS_SIGNATURE = Pattern.compile("(?i)(SharedAccessSignature=)[^;\\s\"']+");
    private static final Pattern BEARER = Pattern.compile("(?i)(Bearer\\s+)[A-Za-z0-9._~+/=-]+");
    /** {@code password=} and {@code sslpassword=} as JDBC URLs carry them ({@code ?a=b&password=x}, {@code ;password=x}). */
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s\"']+");

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = SAS_SIGNATURE.matcher(text).replaceAll("$1" + Secret.MASK);
        masked = ACCOUNT_KEY.matcher(masked).replaceAll("$1" + Secret.MASK);
        masked = SHARED_ACCESS_SIGNATURE.matcher(masked).replaceAll("$1" + Secret.MASK);
        masked = PASSWORD.matcher(masked).replaceAll("$1" + Secret.MASK);
        return BEARER.matcher(masked).replaceAll("$1" + Secret.MASK);
    }
}
