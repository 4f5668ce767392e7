package org.camelazureml.retrain.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    private static final String PIPELINES = "retrain.pipelines.";
    private static final Pattern PIPELINE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final List<String> DEFAULT_PIPELINE_KEYS = List.of("retrain.training.", "retrain.scoring.",
            "retrain.storage.", "retrain.gate.");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    private RetrainConfigLoader(ConfigSource source) {
        this.source = source;
    }

    /**
     * Reads every pipeline and the shared settings. A pipeline whose definition is wrong is left out and listed in
     * {@link RetrainConfig#invalidPipelines()} with its problems, so the others still start.
     *
     * @throws InvalidConfigurationException listing every problem, when a shared setting is wrong or no pipeline is
     *                                       valid
     */
    public static RetrainConfig load(ConfigSource source) {
        RetrainConfigLoader loader = new RetrainConfigLoader(source);
        StoreConfig store = loader.store();
        RetryConfig retry = loader.retry();
        NodeConfig node = loader.node();
        List<String> shared = new ArrayList<>(loader.problems);
        Map<String, PipelineConfig> valid = new LinkedHashMap<>();
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        for (String name : loader.pipelineNames(shared)) {
            loader.problems.clear();
            PipelineConfig pipeline = loader.pipeline(name, prefix(name));
            if (loader.problems.isEmpty()) {
                valid.put(name, pipeline);
            } else {
                invalid.put(name, List.copyOf(loader.problems));
            }
        }
        if (!shared.isEmpty() || valid.isEmpty()) {
            List<String> all = new ArrayList<>(shared);
            invalid.values().forEach(all::addAll);
            throw new InvalidConfigurationException(all);
        }
        return new RetrainConfig(valid, invalid, store, retry, node);
    }

    /** The key prefix of a pipeline: {@code retrain.} for "default", {@code retrain.pipelines.<name>.} otherwise. */
    public static String prefix(String pipeline) {
        return RetrainConfig.DEFAULT_PIPELINE.equals(pipeline) ? "retrain." : PIPELINES + pipeline + ".";
    }

    /**
     * The named pipelines ({@code retrain.pipelines.<name>.*}), and "default" when its unnamed keys are used or no
     * pipeline is named (then its missing keys are what the user needs to hear about).
     */
    private List<String> pipelineNames(List<String> shared) {
        Set<String> named = new TreeSet<>();
        for (String key : source.keysStartingWith(PIPELINES)) {
            String rest = key.substring(PIPELINES.length());
            int dot = rest.indexOf('.');
            named.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        List<String> names = new ArrayList<>();
        boolean defaultUsed = DEFAULT_PIPELINE_KEYS.stream().anyMatch(key -> !source.keysStartingWith(key).isEmpty());
        if (defaultUsed || named.isEmpty()) {
            names.add(RetrainConfig.DEFAULT_PIPELINE);
        }
        for (String name : named) {
            if (!PIPELINE_NAME.matcher(name).matches()) {
                shared.add(PIPELINES + name + " is not a valid pipeline name (letters, digits, '-' and '_', at most 64)");
            } else if (name.equals(RetrainConfig.DEFAULT_PIPELINE)) {
                shared.add(PIPELINES + "default.* is reserved: the unnamed retrain.* keys are the pipeline 'default'");
            } else {
                names.add(name);
            }
        }
        return names;
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
        int workerThreads = positiveInt("retrain.node.worker-threads", 16);
        if (workerThreads == 0) {
            problems.add("retrain.node.worker-threads must be 1 or more");
        }
        return new NodeConfig(name, duration("retrain.node.takeover-after", "5m", false), workerThreads);
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
        ScoringConfig scoring = scoring(prefix + "scoring.", training);
        GateConfig gate = gate(prefix + "gate.", training);
        Duration period = duration(prefix + "schedule.period", "24h", false);
        Duration initialDelay = duration(prefix + "schedule.initial-delay", "0s", true);
        Duration pollInterval = duration(prefix + "poll.interval", "30s", false);
        Duration jobTimeout = duration(prefix + "job.timeout", "12h", false);
        Path archiveDir = path(prefix + "archive.dir", "data/models");
        Duration healthMaxAge = optionalDuration(prefix + "health.max-age");
        return new PipelineConfig(name, training, storage, scoring, gate, period, initialDelay, pollInterval,
                jobTimeout, archiveDir, healthMaxAge);
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

        Optional<String> single = source.get(prefix + "model-output");
        Optional<String> several = source.get(prefix + "model-outputs");
        if (single.isPresent() && several.isPresent()) {
            problems.add(prefix + "model-output and " + prefix + "model-outputs are both set: use one");
        }
        List<String> modelOutputs = several.map(RetrainConfigLoader::commaList)
                .orElseGet(() -> List.of(single.orElse(DEFAULT_OUTPUT_PORT)));
        for (String port : modelOutputs) {
            String modelPath = outputs.get(port);
            if (modelPath == null) {
                problems.add(prefix + "model-output" + (several.isPresent() ? "s names" : " names") + " port '" + port
                        + "', which is not among " + prefix + "outputs.* " + outputs.keySet());
            } else if (!modelPath.toLowerCase(Locale.ROOT).endsWith(".ilearner")) {
                problems.add(prefix + "outputs." + port + " is a trained model output, so its path must end in"
                        + " .ilearner");
            }
        }
        return new TrainingConfig(service, inputs, outputs, modelOutputs, map(prefix + "global-parameters."));
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

    /**
     * The endpoints: {@code <prefix>update-resource-endpoint}, {@code api-key}, {@code trained-model-name} make
     * the endpoint "default"; {@code <prefix>endpoints.<name>.*} add named ones. Each gets the first model output
     * unless its {@code model-output} says otherwise.
     */
    private ScoringConfig scoring(String prefix, TrainingConfig training) {
        Duration sasValidity = duration(prefix + "sas-validity", "1h", false);
        Set<String> named = new TreeSet<>();
        for (String key : source.keysStartingWith(prefix + "endpoints.")) {
            String rest = key.substring((prefix + "endpoints.").length());
            named.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
        }
        boolean shorthand = Stream.of("update-resource-endpoint", "api-key", "trained-model-name", "model-output")
                .anyMatch(key -> source.get(prefix + key).isPresent());
        List<EndpointConfig> endpoints = new ArrayList<>();
        if (shorthand || named.isEmpty()) {
            endpoints.add(endpoint("default", prefix, training));
        }
        for (String name : named) {
            if (!PIPELINE_NAME.matcher(name).matches() || name.equals("default")) {
                problems.add(prefix + "endpoints." + name + " is not a valid endpoint name (letters, digits, '-' and"
                        + " '_'; 'default' is the unnamed one)");
            } else {
                endpoints.add(endpoint(name, prefix + "endpoints." + name + ".", training));
            }
        }
        return new ScoringConfig(endpoints, sasValidity);
    }

    private EndpointConfig endpoint(String name, String prefix, TrainingConfig training) {
        Optional<String> url = required(prefix + "update-resource-endpoint");
        Optional<Secret> apiKey = secret(prefix + "api-key");
        Optional<String> modelName = required(prefix + "trained-model-name");
        String modelOutput = source.get(prefix + "model-output").orElse(training.modelOutputs().get(0));
        if (!training.modelOutputs().contains(modelOutput)) {
            problems.add(prefix + "model-output '" + modelOutput + "' is not a trained model output "
                    + training.modelOutputs());
        }
        ServiceTarget target = null;
        if (url.isPresent()) {
            URI parsed = httpUrl(prefix + "update-resource-endpoint", url.get());
            if (parsed != null) {
                var matcher = ENDPOINT_PATH.matcher(parsed.getPath());
                if (!matcher.matches()) {
                    problems.add(prefix + "update-resource-endpoint must be a scoring endpoint's management URL"
                            + " (.../workspaces/{workspace}/webservices/{webservice}/endpoints/{endpoint})");
                } else if (matcher.group(1).equalsIgnoreCase("default")) {
                    problems.add(prefix + "update-resource-endpoint points at the default endpoint, which keeps the"
                            + " original model; create a non-default endpoint on the scoring web service and use it");
                }
                if (apiKey.isPresent()) {
                    target = new ServiceTarget(withoutQuery(parsed, false), parsed.getRawQuery(), apiKey.get());
                }
            }
        }
        return new EndpointConfig(name, target, modelName.orElse(null), modelOutput);
    }

    /** Only when {@code <prefix>metric} is set: the evaluation output, the metric, its direction, the bars. */
    private GateConfig gate(String prefix, TrainingConfig training) {
        Optional<String> metric = source.get(prefix + "metric");
        if (metric.isEmpty()) {
            if (!source.keysStartingWith(prefix).isEmpty()) {
                problems.add(prefix + "metric is missing: the quality gate needs the name of the metric to judge by");
            }
            return null;
        }
        Optional<String> metricsOutput = required(prefix + "metrics-output");
        metricsOutput.ifPresent(port -> {
            String path = training.outputs().get(port);
            if (path == null || training.modelOutputs().contains(port)) {
                problems.add(prefix + "metrics-output must name an evaluation output among " + training.outputs().keySet()
                        + " that is not a trained model output");
            } else if (!path.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                problems.add(prefix + "metrics-output '" + port + "' must be a .csv output (Evaluate Model's table)");
            }
        });
        Optional<String> better = required(prefix + "better");
        if (better.isPresent() && !better.get().equals("higher") && !better.get().equals("lower")) {
            problems.add(prefix + "better must be 'higher' or 'lower', not '" + better.get() + "'");
        }
        Double threshold = number(prefix + "threshold", null);
        Double minImprovement = number(prefix + "min-improvement", 0.0);
        if (minImprovement != null && minImprovement < 0) {
            problems.add(prefix + "min-improvement must not be negative");
        }
        return new GateConfig(metricsOutput.orElse(null), metric.get(), !"lower".equals(better.orElse("higher")),
                threshold, minImprovement == null ? 0 : minImprovement);
    }

    private Double number(String key, Double defaultValue) {
        Optional<String> text = source.get(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Double.valueOf(text.get());
        } catch (NumberFormatException e) {
            problems.add(key + " must be a number, not '" + text.get() + "'");
            return defaultValue;
        }
    }

    private static List<String> commaList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
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

    /** A duration that has no default: null when the key is not set. */
    private Duration optionalDuration(String key) {
        return source.get(key).isPresent() ? duration(key, null, false) : null;
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
