package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.camelazureml.retrain.config.Redaction;

/**
 * Validates a BES submit body exactly as PROTOCOL.md section 1 describes it, with case-sensitive
 * field and port names, and answers the classic BadArgument detail codes.
 *
 * <p>Emulator decisions where the documentation is silent: every output port must be named in
 * Outputs (there is no workspace storage to write unnamed outputs to), and inputs are read as
 * .csv or .tsv only.
 */
final class JobRequestParser {

    static final Set<String> BODY_FIELDS = Set.of("Input", "Inputs", "Outputs", "GlobalParameters");
    static final Set<String> REFERENCE_FIELDS = Set.of("ConnectionString", "RelativeLocation", "BaseLocation",
            "SasBlobToken");
    static final Set<String> DATASET_EXTENSIONS = Set.of(".csv", ".tsv", ".arff");
    static final Set<String> INPUT_EXTENSIONS = Set.of(".csv", ".tsv");
    static final String MODEL_EXTENSION = ".ilearner";

    private final TrainingServiceSpec service;

    JobRequestParser(TrainingServiceSpec service) {
        this.service = service;
    }

    JobRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw ApiError.badArgument("InvalidRequestBody", "The request body must be a JSON object.");
        }
        requireKnownFields(body, BODY_FIELDS, "request body");
        Map<String, BlobReference> inputs = parseInputs(body);
        Map<String, BlobReference> outputs = parseOutputs(body.get("Outputs"));
        Map<String, String> globals = parseGlobalParameters(body.get("GlobalParameters"));
        return new JobRequest(inputs, outputs, globals);
    }

    private Map<String, BlobReference> parseInputs(JsonNode body) {
        JsonNode single = body.get("Input");
        JsonNode inputs = body.get("Inputs");
        boolean hasSingle = single != null && !single.isNull();
        boolean hasInputs = inputs != null && !inputs.isNull();
        if (hasSingle && hasInputs) {
            throw ApiError.badArgument("InputAndInputsSpecified",
                    "Specify either 'Inputs' or the older single 'Input', not both.");
        }
        if (hasSingle) {
            if (service.inputPorts().size() != 1) {
                throw ApiError.badArgument("BatchJobInputsNotSpecified", "This web service has inputs "
                        + quoted(service.inputPorts()) + "; name them in 'Inputs'.");
            }
            return Map.of(service.inputPorts().get(0), parseReference(single, "Input", false));
        }
        if (!hasInputs || !inputs.isObject() || inputs.isEmpty()) {
            throw ApiError.badArgument("BatchJobInputsNotSpecified", "The job has no 'Inputs'; this web service expects "
                    + quoted(service.inputPorts()) + ".");
        }
        List<String> unknown = unknownNames(inputs, service.inputPorts());
        if (!unknown.isEmpty()) {
            throw ApiError.badArgument("InvalidInputNames", "Unknown input names " + quoted(unknown)
                    + " (names are case sensitive); this web service's inputs are " + quoted(service.inputPorts()) + ".");
        }
        List<String> missing = service.inputPorts().stream().filter(port -> !inputs.has(port)).toList();
        if (!missing.isEmpty()) {
            throw ApiError.badArgument("BatchJobInputsNotSpecified", "Inputs " + quoted(missing) + " are not specified.");
        }
        Map<String, BlobReference> parsed = new LinkedHashMap<>();
        for (String port : service.inputPorts()) {
            parsed.put(port, parseReference(inputs.get(port), "Inputs." + port, false));
        }
        return parsed;
    }

    private Map<String, BlobReference> parseOutputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull() || !outputs.isObject()) {
            throw ApiError.badArgument("MissingRequiredOutputOverrides", "The job has no 'Outputs'; the emulator needs a "
                    + "blob location for each of " + quoted(service.outputPorts()) + ".");
        }
        List<String> unknown = unknownNames(outputs, service.outputPorts());
        if (!unknown.isEmpty()) {
            throw ApiError.badArgument("InvalidOutputOverrideName", "Unknown output names " + quoted(unknown)
                    + " (names are case sensitive); this web service's outputs are " + quoted(service.outputPorts()) + ".");
        }
        List<String> missing = service.outputPorts().stream().filter(port -> !outputs.has(port)).toList();
        if (!missing.isEmpty()) {
            throw ApiError.badArgument("MissingRequiredOutputOverrides", "Outputs " + quoted(missing)
                    + " have no blob location.");
        }
        Map<String, BlobReference> parsed = new LinkedHashMap<>();
        for (String port : service.outputPorts()) {
            BlobReference reference = parseReference(outputs.get(port), "Outputs." + port, true);
            requireOutputExtension(port, reference);
            parsed.put(port, reference);
        }
        return parsed;
    }

    private void requireOutputExtension(String port, BlobReference reference) {
        String extension = reference.extension();
        boolean modelPort = service.isTrainedModelPort(port);
        if (modelPort && !extension.equals(MODEL_EXTENSION)) {
            throw ApiError.badArgument("InvalidBlobExtension", "Output '" + port + "' is a trained model; its "
                    + "RelativeLocation must end with .ilearner, was '" + reference.relativeLocation() + "'.");
        }
        if (!modelPort && !DATASET_EXTENSIONS.contains(extension)) {
            throw ApiError.badArgument("InvalidBlobExtension", "Output '" + port + "' is a dataset; its RelativeLocation "
                    + "must end with .csv, .tsv or .arff, was '" + reference.relativeLocation() + "'.");
        }
    }

    private Map<String, String> parseGlobalParameters(JsonNode globals) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (globals != null && !globals.isNull()) {
            if (!globals.isObject()) {
                throw ApiError.badArgument("InvalidGlobalParameters", "'GlobalParameters' must be a JSON object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = globals.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!service.isGlobalParameter(entry.getKey())) {
                    throw ApiError.badArgument("InvalidGlobalParameterNames", "Unknown global parameter '"
                            + entry.getKey() + "' (names are case sensitive); known: "
                            + quoted(allGlobalParameters()) + ".");
                }
                if (!entry.getValue().isNull()) {
                    parsed.put(entry.getKey(), entry.getValue().isValueNode()
                            ? entry.getValue().asText() : entry.getValue().toString());
                }
            }
        }
        List<String> missing = service.requiredGlobalParameters().stream().filter(p -> !parsed.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            throw ApiError.badArgument("MissingRequiredGlobalParameters", "Required global parameters "
                    + quoted(missing) + " are missing.");
        }
        return parsed;
    }

    private BlobReference parseReference(JsonNode node, String where, boolean isOutput) {
        if (node == null || !node.isObject()) {
            throw ApiError.badArgument("InvalidBlobReference", where + " must be an object with ConnectionString and "
                    + "RelativeLocation, or BaseLocation, RelativeLocation and SasBlobToken.");
        }
        requireKnownFields(node, REFERENCE_FIELDS, where);
        String connectionString = text(node, "ConnectionString");
        String baseLocation = text(node, "BaseLocation");
        String relativeLocation = text(node, "RelativeLocation");
        String sas = text(node, "SasBlobToken");
        if (relativeLocation == null || !relativeLocation.matches("[^/]+/.*[^/]")) {
            throw ApiError.badArgument("InvalidBlobReference", where + ".RelativeLocation must be 'container/path/to/blob'"
                    + (relativeLocation == null ? "; it is missing." : ", was '" + Redaction.redact(relativeLocation) + "'."));
        }
        if (connectionString != null) {
            if (baseLocation != null || sas != null) {
                throw ApiError.badArgument("InvalidBlobReference", where + " has a ConnectionString and also "
                        + "BaseLocation/SasBlobToken; use one way: ConnectionString + RelativeLocation, or BaseLocation + "
                        + "RelativeLocation + SasBlobToken.");
            }
        } else if (baseLocation == null || sas == null) {
            throw ApiError.badArgument("InvalidBlobReference", where + " needs ConnectionString + RelativeLocation, or "
                    + "BaseLocation + RelativeLocation + SasBlobToken.");
        } else if (!baseLocation.matches("https?://[^/]+/(.*/)?")) {
            // the service joins BaseLocation and RelativeLocation as they are
            throw ApiError.badArgument("InvalidBlobReference", where + ".BaseLocation must be the blob service URL ending"
                    + " with '/', e.g. https://account.blob.core.windows.net/, was '" + Redaction.redact(baseLocation) + "'.");
        }
        BlobReference reference = new BlobReference(connectionString, baseLocation, relativeLocation, sas);
        if (!isOutput && !INPUT_EXTENSIONS.contains(reference.extension())) {
            throw ApiError.badArgument("InvalidBlobExtension", where + ".RelativeLocation must end with .csv or .tsv"
                    + " (the datasets the emulator can read), was '" + relativeLocation + "'.");
        }
        return reference;
    }

    /** A present, non-null, non-blank string field, else null. Non-strings are an error. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badArgument("InvalidBlobReference", "'" + field + "' must be a string.");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    private static void requireKnownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.badArgument("UnknownField", "Unknown field '" + name + "' in " + where
                        + " (field names are case sensitive); expected " + quoted(known.stream().sorted().toList()) + ".");
            }
        }
    }

    private static List<String> unknownNames(JsonNode node, List<String> known) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        return unknown;
    }

    private List<String> allGlobalParameters() {
        List<String> all = new ArrayList<>(service.requiredGlobalParameters());
        all.addAll(service.optionalGlobalParameters());
        return all;
    }

    private static String quoted(List<String> names) {
        return names.isEmpty() ? "(none)" : "'" + String.join("', '", names) + "'";
    }
}
