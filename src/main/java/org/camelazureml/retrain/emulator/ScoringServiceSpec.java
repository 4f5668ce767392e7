package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scoring (predictive) web service the emulator plays: its id, updatable resource names and
 * endpoints, and the port names of its Request-Response API.
 *
 * @param webServiceId  the id in {@code /workspaces/{ws}/webservices/{webServiceId}/endpoints/{ep}}
 * @param resourceNames the updatable resources ("Saved trained model" names), e.g. "Census Model [trained model]";
 *                      Request-Response scoring uses the first one
 * @param endpoints     the endpoints; exactly one is the default endpoint, which cannot be updated
 * @param inputPort     the Request-Response input name, e.g. input1
 * @param outputPort    the Request-Response output name, e.g. output1
 */
public record ScoringServiceSpec(String webServiceId, List<String> resourceNames, List<Endpoint> endpoints,
                                 String inputPort, String outputPort) {

    /** One endpoint of the scoring web service, with its own API key. */
    public record Endpoint(String name, String apiKey, boolean isDefault) {
        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(apiKey, "apiKey");
        }

        @Override
        public String toString() {
            return "Endpoint[" + name + (isDefault ? ", default" : "") + "]";
        }
    }

    public ScoringServiceSpec {
        Objects.requireNonNull(webServiceId, "webServiceId");
        resourceNames = List.copyOf(resourceNames);
        endpoints = List.copyOf(endpoints);
        if (resourceNames.isEmpty()) {
            throw new IllegalArgumentException("A scoring service needs at least one updatable resource name");
        }
        if (endpoints.stream().filter(Endpoint::isDefault).count() != 1) {
            throw new IllegalArgumentException("A scoring service has exactly one default endpoint");
        }
        if (new HashSet<>(endpoints.stream().map(Endpoint::name).toList()).size() != endpoints.size()) {
            throw new IllegalArgumentException("Endpoint names must be unique: " + endpoints.stream().map(Endpoint::name).toList());
        }
    }

    public static Builder builder(String webServiceId) {
        return new Builder(webServiceId);
    }

    public Optional<Endpoint> endpoint(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The non-default endpoints, the ones a retrained model can be put behind. */
    public List<Endpoint> updatableEndpoints() {
        return endpoints.stream().filter(e -> !e.isDefault()).toList();
    }

    @Override
    public String toString() {
        // keys stay out of logs and assertion messages
        return "ScoringServiceSpec[" + webServiceId + ", resources=" + resourceNames + ", endpoints=" + endpoints + "]";
    }

    public static final class Builder {
        private final String webServiceId;
        private List<String> resourceNames = List.of("Trained Model [trained model]");
        private final List<Endpoint> endpoints = new ArrayList<>();
        private String inputPort = "input1";
        private String outputPort = "output1";

        private Builder(String webServiceId) {
            this.webServiceId = webServiceId;
        }

        public Builder resourceNames(String... names) {
            this.resourceNames = List.of(names);
            return this;
        }

        /** Adds an endpoint; a null key means a random one. Without a default endpoint, "default" is added. */
        public Builder endpoint(String name, String apiKey, boolean isDefault) {
            endpoints.add(new Endpoint(name, apiKey != null ? apiKey : Keys.randomApiKey(), isDefault));
            return this;
        }

        public Builder inputPort(String name) {
            this.inputPort = name;
            return this;
        }

        public Builder outputPort(String name) {
            this.outputPort = name;
            return this;
        }

        public ScoringServiceSpec build() {
            List<Endpoint> all = new ArrayList<>(endpoints);
            if (all.stream().noneMatch(Endpoint::isDefault)) {
                all.add(0, new Endpoint("default", Keys.randomApiKey(), true));
            }
            return new ScoringServiceSpec(webServiceId, resourceNames, all, inputPort, outputPort);
        }
    }
}
