package org.camelazureml.retrain.emulator;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camelazureml.retrain.config.Redaction;

/**
 * The management calls on a scoring endpoint: PATCH (UpdateResource: put a trained model behind
 * the endpoint) and GET (describe the endpoint). The model is read through the SAS in the body
 * alone, at patch time, as the real service does.
 */
final class ScoringManagementApi {

    static final Set<String> BODY_FIELDS = Set.of("Resources");
    static final Set<String> RESOURCE_FIELDS = Set.of("Name", "Location");
    static final Set<String> LOCATION_FIELDS = Set.of("BaseLocation", "RelativeLocation", "SasBlobToken");

    /** One resource of a PATCH body, validated. */
    private record ResourceUpdate(String name, String baseLocation, String relativeLocation, String sasBlobToken) {
        URI downloadUri() {
            String sas = sasBlobToken.startsWith("?") ? sasBlobToken : "?" + sasBlobToken;
            try {
                // joined as they are, as the service does: a BaseLocation without a trailing '/' breaks the URL
                return URI.create(baseLocation + relativeLocation + sas);
            } catch (IllegalArgumentException e) {
                throw ApiError.badArgument("InvalidTrainedModelLocation", "Resource '" + name + "': BaseLocation + "
                        + "RelativeLocation + SasBlobToken is not a valid URL: "
                        + Redaction.redact(baseLocation + relativeLocation + sas));
            }
        }

        String redactedUrl() {
            return Redaction.redact(baseLocation + relativeLocation + sasBlobToken);
        }
    }

    private final TrainingServiceSpec training;
    private final ScoringServiceSpec scoring;
    private final ScoringEndpoints endpoints;
    private final ModelDownloader downloader;
    private final boolean allowRemoteStorage;

    ScoringManagementApi(TrainingServiceSpec training, ScoringServiceSpec scoring, ScoringEndpoints endpoints,
                         ModelDownloader downloader, boolean allowRemoteStorage) {
        this.training = training;
        this.scoring = scoring;
        this.endpoints = endpoints;
        this.downloader = downloader;
        this.allowRemoteStorage = allowRemoteStorage;
    }

    CompletableFuture<ApiResponse> update(ApiRequest request) {
        if (isTrainingService(request)) {
            request.requireBearer(allKeys());
            throw ApiError.badArgument("NoUpdatableResources", "This Web Service has no updatable resources. ('"
                    + training.name() + "' is the training web service; patch an endpoint of the scoring web service '"
                    + scoring.webServiceId() + "'.)");
        }
        ScoringServiceSpec.Endpoint endpoint = authorizedEndpoint(request);
        if (endpoint.isDefault()) {
            throw ApiError.badArgument("CannotUpdateDefaultEndpoint", "The default endpoint '" + endpoint.name()
                    + "' cannot be updated; it keeps the original trained model. Patch a non-default endpoint: "
                    + quoted(scoring.updatableEndpoints().stream().map(ScoringServiceSpec.Endpoint::name).toList()) + ".");
        }
        List<ResourceUpdate> updates = parseBody(request.jsonBody());
        List<CompletableFuture<ScoringEndpoints.Deployment>> downloads = updates.stream()
                .map(update -> fetch(endpoint.name(), update)).toList();
        return CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            downloads.forEach(download -> endpoints.deploy(download.join()));
            return ApiResponse.empty(200);
        });
    }

    ApiResponse describe(ApiRequest request) {
        if (isTrainingService(request)) {
            request.requireBearer(List.of(training.apiKey()));
            if (!"default".equals(request.param("endpoint"))) {
                throw ApiError.notFound("Endpoint '" + request.param("endpoint") + "' was not found.");
            }
            ObjectNode body = Json.object().put("Name", "default");
            body.putArray("Resources");
            return ApiResponse.json(200, body);
        }
        ScoringServiceSpec.Endpoint endpoint = authorizedEndpoint(request);
        ObjectNode body = Json.object().put("Name", endpoint.name());
        ArrayNode resources = body.putArray("Resources");
        for (String resourceName : scoring.resourceNames()) {
            ObjectNode resource = resources.addObject().put("Name", resourceName);
            endpoints.served(endpoint.name(), resourceName).ifPresentOrElse(served -> resource.putObject("Location")
                    .put("BaseLocation", served.baseLocation())
                    .put("RelativeLocation", served.relativeLocation())
                    .putNull("SasBlobToken"), () -> resource.putNull("Location"));
        }
        return ApiResponse.json(200, body);
    }

    private boolean isTrainingService(ApiRequest request) {
        return training.name().equals(request.param("webService"));
    }

    private ScoringServiceSpec.Endpoint authorizedEndpoint(ApiRequest request) {
        if (!scoring.webServiceId().equals(request.param("webService"))) {
            throw ApiError.notFound("Web service '" + request.param("webService") + "' was not found; the scoring web "
                    + "service is '" + scoring.webServiceId() + "'.");
        }
        ScoringServiceSpec.Endpoint endpoint = scoring.endpoint(request.param("endpoint")).orElseThrow(() ->
                ApiError.notFound("Endpoint '" + request.param("endpoint") + "' was not found on web service '"
                        + scoring.webServiceId() + "'."));
        request.requireBearer(List.of(endpoint.apiKey()));
        return endpoint;
    }

    /** Training service ids answer any key of the workspace, so that the pitfall message shows. */
    private List<String> allKeys() {
        List<String> keys = new ArrayList<>(List.of(training.apiKey()));
        scoring.endpoints().forEach(endpoint -> keys.add(endpoint.apiKey()));
        return keys;
    }

    private List<ResourceUpdate> parseBody(JsonNode body) {
        requireFields(body, BODY_FIELDS, "the request body");
        JsonNode resources = body.get("Resources");
        if (resources == null || !resources.isArray() || resources.isEmpty()) {
            throw ApiError.badArgument("MissingResources", "'Resources' must be a non-empty array of "
                    + "{\"Name\", \"Location\": {\"BaseLocation\", \"RelativeLocation\", \"SasBlobToken\"}}.");
        }
        List<ResourceUpdate> updates = new ArrayList<>();
        for (JsonNode resource : resources) {
            requireFields(resource, RESOURCE_FIELDS, "a resource");
            String name = requiredText(resource, "Name", "a resource");
            if (!scoring.resourceNames().contains(name)) {
                throw ApiError.badArgument("InvalidResourceName", "'" + name + "' is not an updatable resource of web "
                        + "service '" + scoring.webServiceId() + "' (names are case sensitive). Updatable resources: "
                        + quoted(scoring.resourceNames()) + ".");
            }
            JsonNode location = resource.get("Location");
            requireFields(location, LOCATION_FIELDS, "Location of '" + name + "'");
            updates.add(new ResourceUpdate(name, requiredText(location, "BaseLocation", name),
                    requiredText(location, "RelativeLocation", name), requiredText(location, "SasBlobToken", name)));
        }
        return updates;
    }

    private CompletableFuture<ScoringEndpoints.Deployment> fetch(String endpoint, ResourceUpdate update) {
        URI uri = update.downloadUri();
        if (!allowRemoteStorage && !LocalHosts.isLoopback(uri.toString())) {
            throw ApiError.badArgument("InvalidTrainedModelLocation", "The trained model for '" + update.name()
                    + "' cannot be read: " + LocalHosts.refusal(uri.toString()) + ".");
        }
        return downloader.download(uri).handle((download, error) -> {
            if (error != null) {
                throw unreachable(update, error);
            }
            if (download.status() != 200) {
                throw ApiError.badArgument("InvalidTrainedModelLocation", "The trained model for '" + update.name()
                        + "' could not be read from " + update.redactedUrl() + ": storage answered " + download.status()
                        + (download.errorCode() == null ? "" : " " + download.errorCode())
                        + (download.status() == 403 ? " (an expired or invalid SasBlobToken?)" : "")
                        + (download.status() == 404 ? " (no such blob)" : "") + ".");
            }
            if (download.size() == 0) {
                throw ApiError.badArgument("InvalidTrainedModel", "The trained model blob for '" + update.name()
                        + "' at " + update.redactedUrl() + " is empty (0 bytes).");
            }
            LinearModel model;
            try {
                model = LinearModel.parse(download.prefix());
            } catch (IllegalArgumentException e) {
                throw ApiError.badArgument("InvalidTrainedModel", "'" + update.name() + "': " + e.getMessage() + ".");
            }
            return new ScoringEndpoints.Deployment(new ServedModel(endpoint, update.name(), download.sha256(),
                    download.size(), update.baseLocation(), update.relativeLocation(), Instant.now()), model);
        });
    }

    private static ApiError unreachable(ResourceUpdate update, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String why = cause instanceof ConnectException ? "connection refused"
                : cause instanceof HttpTimeoutException ? "timed out" : cause.getClass().getSimpleName();
        return ApiError.badArgument("InvalidTrainedModelLocation", "The trained model for '" + update.name()
                + "' could not be downloaded from " + update.redactedUrl() + ": " + why + ".");
    }

    private static void requireFields(JsonNode node, Set<String> known, String where) {
        if (node == null || !node.isObject()) {
            throw ApiError.badArgument("InvalidRequestBody", where + " must be a JSON object with "
                    + quoted(known.stream().sorted().toList()) + ".");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.badArgument("UnknownField", "Unknown field '" + name + "' in " + where
                        + " (field names are case sensitive); expected " + quoted(known.stream().sorted().toList()) + ".");
            }
        }
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.badArgument("MissingRequiredField", "'" + field + "' of " + where + " is required"
                    + " and must be a non-empty string.");
        }
        return value.asText();
    }

    private static String quoted(List<String> names) {
        return names.isEmpty() ? "(none)" : "'" + String.join("', '", names) + "'";
    }
}
