package org.camelazureml.retrain.emulator;

import java.util.Locale;

/**
 * A BES blob reference: either ConnectionString + RelativeLocation (account key), or
 * BaseLocation + RelativeLocation + SasBlobToken (SAS). RelativeLocation is {@code container/path}.
 */
record BlobReference(String connectionString, String baseLocation, String relativeLocation, String sasBlobToken) {

    boolean usesConnectionString() {
        return connectionString != null;
    }

    String container() {
        return relativeLocation.substring(0, relativeLocation.indexOf('/'));
    }

    String blobName() {
        return relativeLocation.substring(relativeLocation.indexOf('/') + 1);
    }

    /** Lower-case extension with the dot, e.g. ".ilearner"; empty if none. */
    String extension() {
        String name = blobName();
        int dot = name.lastIndexOf('.');
        return dot < 0 || name.lastIndexOf('/') > dot ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // never the connection string or SAS: they hold secrets
        return "BlobReference[" + relativeLocation + (usesConnectionString() ? ", connection string" : ", SAS") + "]";
    }
}
