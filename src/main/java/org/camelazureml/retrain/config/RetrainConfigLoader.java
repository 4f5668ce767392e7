package org.camelazureml.retrain.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.azureml.ServiceTarget;

/**
 * Reads {@code retrain.*} once into a typed {@link RetrainConfig}. Every missing or malformed key is collected and
 * reported together in one {@link InvalidConfigurationException}; secret values never appear in a message.
 */
public final class RetrainConfigLoader {

    static final String DEFAULT_OUTPUT_PORT = "output1";
    static final String DEFAULT_MODEL_OUTPUT = "models/{runId}/model.ilearner";

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern JOBS_PATH = Pattern.compile(".*/workspaces/[^/]+/services/[^/]+/jobs/?");
    private static final Pattern ENDPOINT_PATH = Pattern.compile(".*/workspaces/[^/]+/webservices/[^/]+/endpoints/([^/]+)/?");
    private static final List<String> OUTPUT_EXTENSIONS = List.of(".ilearner", ".csv", ".tsv", ".arff");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    private RetrainConfigLoader(ConfigSource source) {
        this.source = source;
    }

    /** @throws InvalidConfigurationException listing every problem found */
    public static RetrainConfig load(ConfigSource source) {
        RetrainConfigLoader loader = new RetrainConfigLoader(source);
        PipelineConfig pipeline = loader.pipeline(RetrainConfig.DEFAULT_PIPELINE, "retrain.");
        StoreConfig store = loader.store();
        RetryConfig retry = loader.retry();
        NodeConfig node = loader.node();
        if (!loader.problems.isEmpty()) {
            throw new InvalidConfigurationException(loader.problems);
        }
        return new RetrainConfig(Map.of(pipeline.name(), pipeline), store, retry, node);
    }

    private StoreConfig store() {
        Path dataDir = path("retrain.data.dir", "data");
        String type = source.get("retrain.store.type").orElse(StoreConfig.FILE);
        if (!type.equals(StoreConfig.FILE) && !type.equals(StoreConfig.JDBC)) {
            problems.add("retrain.store.type must be 'file' or 'jdbc', not '" + type + "'");
        }
        String url = null;
        if (type.equals(StoreConfig.JDBC)) {
            url = required("retrain.store.jdbc.url").orElse(null);
            if (url != null && !url.startsWith("jdbc:")) {
                problems.add("retrain.store.jdbc.url must be a JDBC URL (jdbc:postgresql://host:5432/database)");
            }
        }
        String prefix = source.get("retrain.store.jdbc.table-prefix").orElse("retrain_");
        if (!prefix.matches("[a-z_][a-z0-9_]{0,39}")) {
            problems.add("retrain.store.jdbc.table-prefix may hold only a-z, 0-9 and '_' (at most 40, not starting"
                    + " with a digit)");
        }
        return new StoreConfig(type, dataDir, url, source.get("retrain.store.jdbc.user").orElse(null),
                source.get("retrain.store.jdbc.password").map(Secret::of).orElse(null), prefix);
    }

    private RetryConfig retry() {
        Duration initial = duration("retrain.retry.initial-delay", "1s", false);
        Duration max = duration("retrain.retry.max-delay", "5m", false);
        int attempts = positiveInt("retrain.retry.max-attempts", 8);
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            problems.add("retrain.retry.max-delay must not be shorter than retrain.retry.initial-delay");
        }
        return new RetryConfig(initial, max, attempts);
    }

    private NodeConfig node() {
        String name = source.get("retrain.node.name").orElseGet(RetrainConfigLoader::hostName);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            problems.add("retrain.node.name may hold only letters, digits, '.', '_' and '-' (at most 100)");
        }
        return new NodeConfig(name, duration("retrain.node.takeover-after", "5m", false));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.io.IOException e) {
            return "node";
        }
    }

    private int positiveInt(String key, int defaultValue) {
        String text = source.get(key).orElse(String.valueOf(defaultValue));
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number, 0 or more, not '" + text + "'");
        return defaultValue;
    }

    private PipelineConfig pipeline(String name, String prefix) {
        TrainingConfig training = training(prefix + "training.");
        StorageConnection storage = storage(prefix + "storage.connection-string");
        ScoringConfig scoring = scoring(prefix + "scoring.");
        Duration period = duration(prefix + "schedule.period", "24h", false);
        Duration initialDelay = duration(prefix + "schedule.initial-delay", "0s", true);
        Duration pollInterval = duration(prefix + "poll.interval", "30s", false);
        Duration jobTimeout = duration(prefix + "job.timeout", "12h", false);
        Path archiveDir = path(prefix + "archive.dir", "data/models");
        return new PipelineConfig(name, training, storage, scoring, period, initialDelay, pollInterval, jobTimeout,
                archiveDir);
    }

    private TrainingConfig training(String prefix) {
        ServiceTarget service = null;
        Optional<String> endpoint = required(prefix + "endpoint");
        Optional<Secret> apiKey = secret(prefix + "api-key");
        if (endpoint.isPresent()) {
            URI url = httpUrl(prefix + "endpoint", endpoint.get());
            if (url != null) {
                if (!JOBS_PATH.matcher(url.getPath()).matches()) {
                    problems.add(prefix + "endpoint must be the Batch Execution Service jobs URL of the training web"
                            + " service (.../workspaces/{workspace}/services/{service}/jobs), as in ADF's mlEndpoint");
                }
                checkApiVersionQuery(prefix + "endpoint", url);
                if (apiKey.isPresent()) {
                    service = new ServiceTarget(withoutQuery(url, true), AzureMlClient.BES_API_VERSION, apiKey.get());
                }
            }
        }

        Map<String, String> inputs = map(prefix + "inputs.");
        if (inputs.isEmpty()) {
            problems.add(prefix + "inputs.<port> is missing: give at least one input as container/path,"
                    + " e.g. " + prefix + "inputs.input1=trainingdata/train.csv");
        }
        inputs.forEach((port, location) -> blobPath(prefix + "inputs." + port, location));

        Map<String, String> outputs = map(prefix + "outputs.");
        if (outputs.isEmpty()) {
            outputs.put(DEFAULT_OUTPUT_PORT, DEFAULT_MODEL_OUTPUT);
        }
        outputs.forEach((port, template) -> outputTemplate(prefix + "outputs." + port, template));

        String modelOutput = source.get(prefix + "model-output").orElse(DEFAULT_OUTPUT_PORT);
        String modelPath = outputs.get(modelOutput);
        if (modelPath == null) {
            problems.add(prefix + "model-output names port '" + modelOutput + "', which is not among "
                    + prefix + "outputs.* " + outputs.keySet());
        } else if (!modelPath.toLowerCase(Locale.ROOT).endsWith(".ilearner")) {
            problems.add(prefix + "outputs." + modelOutput + " is the trained model output, so its path must end in"
                    + " .ilearner");
        }
        return new TrainingConfig(service, inputs, outputs, modelOutput, map(prefix + "global-parameters."));
    }

    private StorageConnection storage(String key) {
        Optional<Secret> connectionString = secret(key);
        if (connectionString.isEmpty()) {
            return null;
        }
        try {
            return StorageConnection.parse(connectionString.get());
        } catch (IllegalArgumentException e) {
            problems.add(key + " " + e.getMessage());
            return null;
        }
    }

    private ScoringConfig scoring(String prefix) {
        Optional<String> endpoint = required(prefix + "update-resource-endpoint");
        Optional<Secret> apiKey = secret(prefix + "api-key");
        Optional<String> modelName = required(prefix + "trained-model-name");
        Duration sasValidity = duration(prefix + "sas-validity", "1h", false);
        ServiceTarget target = null;
        if (endpoint.isPresent()) {
            URI url = httpUrl(prefix + "update-resource-endpoint", endpoint.get());
            if (url != null) {
                var matcher = ENDPOINT_PATH.matcher(url.getPath());
                if (!matcher.matches()) {
                    problems.add(prefix + "update-resource-endpoint must be a scoring endpoint's management URL"
                            + " (.../workspaces/{workspace}/webservices/{webservice}/endpoints/{endpoint})");
                } else if (matcher.group(1).equalsIgnoreCase("default")) {
                    problems.add(prefix + "update-resource-endpoint points at the default endpoint, which keeps the"
                            + " original model; create a non-default endpoint on the scoring web service and use it");
                }
                if (apiKey.isPresent()) {
                    target = new ServiceTarget(withoutQuery(url, false), url.getRawQuery(), apiKey.get());
                }
            }
        }
        return new ScoringConfig(target, modelName.orElse(null), sasValidity);
    }

    // ---- single values -------------------------------------------------------------------------------------

    private Optional<String> required(String key) {
        Optional<String> value = source.get(key);
        if (value.isEmpty()) {
            problems.add(key + " is missing");
        }
        return value;
    }

    private Optional<Secret> secret(String key) {
        return required(key).map(Secret::of);
    }

    private Duration duration(String key, String defaultValue, boolean zeroAllowed) {
        Duration duration;
        try {
            duration = Durations.parse(source.get(key).orElse(defaultValue));
        } catch (IllegalArgumentException e) {
            problems.add(key + " " + e.getMessage());
            return null;
        }
        if (duration.isZero() && !zeroAllowed) {
            problems.add(key + " must be longer than zero");
            return null;
        }
        return duration;
    }

    private Path path(String key, String defaultValue) {
        String text = source.get(key).orElse(defaultValue);
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            problems.add(key + " is not a valid path: " + e.getReason());
            return null;
        }
    }

    private Map<String, String> map(String prefix) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String key : source.keysStartingWith(prefix)) {
            String name = key.substring(prefix.length());
            if (!name.isEmpty()) {
                source.get(key).ifPresent(value -> entries.put(name, value));
            }
        }
        return entries;
    }

    private URI httpUrl(String key, String text) {
        try {
            URI url = new URI(text);
            if (url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
                problems.add(key + " must be an absolute http(s) URL");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(key + " is not a URL: " + e.getReason());
            return null;
        }
    }

    /** Users paste the BES URL with or without {@code ?api-version=2.0}; anything else in the query is a mistake. */
    private void checkApiVersionQuery(String key, URI url) {
        String query = url.getRawQuery();
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String parameter : query.split("&")) {
            if (!parameter.equals(AzureMlClient.BES_API_VERSION)) {
                problems.add(key + " may only carry ?" + AzureMlClient.BES_API_VERSION + " as its query, not '"
                        + parameter.replaceAll("=.*", "=...") + "'");
            }
        }
    }

    private static URI withoutQuery(URI url, boolean trimTrailingSlash) {
        String text = url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
        if (trimTrailingSlash && text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private void blobPath(String key, String location) {
        int slash = location.indexOf('/');
        if (slash <= 0 || slash == location.length() - 1) {
            problems.add(key + " must be container/path, not '" + location + "'");
            return;
        }
        String container = location.substring(0, slash);
        if (!CONTAINER.matcher(container).matches()) {
            problems.add(key + " has an invalid container name '" + container + "' (3-63 lower-case letters, digits"
                    + " and single hyphens)");
        }
        if (location.contains("..") || location.contains("\\") || location.contains("//")) {
            problems.add(key + " must not contain '..', '\\\\' or '//'");
        }
    }

    private void outputTemplate(String key, String template) {
        blobPath(key, template);
        if (!template.contains("{runId}")) {
            problems.add(key + " must contain {runId} so that every run writes its own model and no run overwrites"
                    + " another's");
        }
        String lower = template.toLowerCase(Locale.ROOT);
        if (OUTPUT_EXTENSIONS.stream().noneMatch(lower::endsWith)) {
            problems.add(key + " must end in .ilearner (trained model) or .csv, .tsv, .arff (dataset); Azure ML"
                    + " rejects other extensions");
        }
    }
}
