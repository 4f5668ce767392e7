package org.camelazureml.retrain.azureml;

import java.net.URI;

import org.camelazureml.retrain.config.Secret;

/**
 * Where a call goes and with which key: a BES jobs URL or a scoring endpoint's management URL (without query),
 * the query every call to it carries ({@code api-version=2.0} for BES), and its API key.
 */
public record ServiceTarget(URI url, String query, Secret apiKey) {

    public ServiceTarget {
        if (url.getRawQuery() != null) {
            throw new IllegalArgumentException("url must not carry a query; pass it as query");
        }
    }

    /** The URL of a sub-resource, e.g. {@code jobs/{id}/start}. */
    public URI resolve(String... segments) {
        StringBuilder path = new StringBuilder(url.toString());
        for (String segment : segments) {
            if (path.charAt(path.length() - 1) != '/') {
                path.append('/');
            }
            path.append(segment);
        }
        return URI.create(path.toString());
    }

    @Override
    public String toString() {
        return url + (query == null ? "" : "?" + query);
    }
}
