package org.camelazureml.retrain.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure Storage connection string, parsed just enough to know the blob service URL and whether we hold an
 * account key (then we can sign our own short-lived SAS) or only a SAS ({@link #sasToken()}, without the leading
 * {@code ?}). The whole string stays a {@link Secret}.
 * Works the same for a cloud account and for Azurite ({@code BlobEndpoint=http://127.0.0.1:PORT/devstoreaccount1}).
 */
public record StorageConnection(Secret connectionString, String accountName, URI blobEndpoint, boolean hasAccountKey,
        Secret sasToken) {

    private static final String AZURITE_ACCOUNT = "devstoreaccount1";

    /**
     * @throws IllegalArgumentException with a message that names what is wrong, never the value
     */
    public static StorageConnection parse(Secret connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.reveal().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("is not a connection string (expected Key=Value pairs separated by ';')");
            }
            parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            return new StorageConnection(connectionString, AZURITE_ACCOUNT,
                    URI.create("http://127.0.0.1:10000/" + AZURITE_ACCOUNT), true, null);
        }
        boolean hasKey = notBlank(parts.get("accountkey"));
        boolean hasSas = notBlank(parts.get("sharedaccesssignature"));
        if (!hasKey && !hasSas) {
            throw new IllegalArgumentException("has neither AccountKey nor SharedAccessSignature");
        }
        URI endpoint = blobEndpoint(parts);
        String account = parts.getOrDefault("accountname", accountFromEndpoint(endpoint));
        if (!notBlank(account)) {
            throw new IllegalArgumentException("has no AccountName");
        }
        String sas = parts.get("sharedaccesssignature");
        return new StorageConnection(connectionString, account, endpoint, hasKey,
                hasSas ? Secret.of(sas.startsWith("?") ? sas.substring(1) : sas) : null);
    }

    private static URI blobEndpoint(Map<String, String> parts) {
        String explicit = parts.get("blobendpoint");
        String raw;
        if (notBlank(explicit)) {
            raw = explicit;
        } else {
            String account = parts.get("accountname");
            if (!notBlank(account)) {
                throw new IllegalArgumentException("has neither BlobEndpoint nor AccountName");
            }
            String protocol = parts.getOrDefault("defaultendpointsprotocol", "https");
            String suffix = parts.getOrDefault("endpointsuffix", "core.windows.net");
            raw = protocol + "://" + account + ".blob." + suffix;
        }
        URI uri;
        try {
            uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a BlobEndpoint that is not a URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("has a BlobEndpoint that is not an http(s) URL");
        }
        return uri;
    }

    /** Path-style (Azurite: http://host:port/account) or host-style (https://account.blob.core.windows.net). */
    private static String accountFromEndpoint(URI endpoint) {
        String path = endpoint.getPath();
        if (path != null && path.length() > 1) {
            return path.substring(1).split("/")[0];
        }
        return endpoint.getHost().split("\\.")[0];
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** The BaseLocation Azure ML expects: the blob service URL with a trailing slash. */
    public String baseLocation() {
        return blobEndpoint + "/";
    }
}
