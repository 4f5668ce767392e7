package org.camelazureml.retrain.storage;

/**
 * A blob named the way Azure ML names it, {@code container/path}. Parsing refuses anything that could climb out of
 * a directory if it were ever used as a path ({@code ..}, a leading slash, backslashes, empty segments): a location
 * reported by the remote service is data, not a path we trust.
 */
public record BlobLocation(String container, String blobName) {

    public static BlobLocation parse(String relativeLocation) {
        if (relativeLocation == null || relativeLocation.isBlank()) {
            throw new IllegalArgumentException("empty blob location");
        }
        if (relativeLocation.startsWith("/") || relativeLocation.contains("\\") || relativeLocation.contains("//")) {
            throw new IllegalArgumentException("blob location '" + relativeLocation + "' is absolute or malformed");
        }
        for (String segment : relativeLocation.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("blob location '" + relativeLocation + "' contains '" + segment + "'");
            }
        }
        int slash = relativeLocation.indexOf('/');
        if (slash <= 0 || slash == relativeLocation.length() - 1) {
            throw new IllegalArgumentException("blob location '" + relativeLocation + "' is not container/path");
        }
        return new BlobLocation(relativeLocation.substring(0, slash), relativeLocation.substring(slash + 1));
    }

    public String relativeLocation() {
        return container + "/" + blobName;
    }

    @Override
    public String toString() {
        return relativeLocation();
    }
}
