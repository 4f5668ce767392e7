package org.camelazureml.retrain.emulator;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The training (BES) web service the emulator plays: its id, API key, port names and global
 * parameters. Names are case sensitive, as in Azure ML.
 *
 * @param name                     the service id in {@code /workspaces/{ws}/services/{name}/jobs}
 * @param apiKey                   the Bearer key every call must carry
 * @param inputPorts               web service input names, e.g. input1
 * @param outputPorts              web service output names, e.g. output1, output2
 * @param trainedModelPorts        the outputs that receive a trained model (.ilearner), at least one; the first is
 *                                 the primary one ({@link #trainedModelPort()}). The other outputs get evaluation
 *                                 metrics as a dataset (.csv, .tsv or .arff). Each model output gets its own model
 *                                 document, which records the port it was written for, so the blobs differ (see
 *                                 {@link LinearModel})
 * @param requiredGlobalParameters global parameters every submit must set
 * @param optionalGlobalParameters global parameters a submit may set; any other name is rejected
 */
public record TrainingServiceSpec(String name, String apiKey, List<String> inputPorts, List<String> outputPorts,
                                  List<String> trainedModelPorts, List<String> requiredGlobalParameters,
                                  List<String> optionalGlobalParameters) {

    public TrainingServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiKey, "apiKey");
        inputPorts = List.copyOf(inputPorts);
        outputPorts = List.copyOf(outputPorts);
        trainedModelPorts = List.copyOf(trainedModelPorts);
        requiredGlobalParameters = List.copyOf(requiredGlobalParameters);
        optionalGlobalParameters = List.copyOf(optionalGlobalParameters);
        if (inputPorts.isEmpty() || outputPorts.isEmpty()) {
            throw new IllegalArgumentException("A training service needs at least one input and one output port");
        }
        if (trainedModelPorts.isEmpty()) {
            throw new IllegalArgumentException("A training service needs at least one trained model port");
        }
        if (new HashSet<>(trainedModelPorts).size() != trainedModelPorts.size()) {
            throw new IllegalArgumentException("Trained model ports must be unique: " + trainedModelPorts);
        }
        for (String port : trainedModelPorts) {
            if (!outputPorts.contains(port)) {
                throw new IllegalArgumentException("Trained model port '" + port + "' is not one of the output ports "
                        + outputPorts);
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String toString() {
        // the key stays out of logs and assertion messages
        return "TrainingServiceSpec[" + name + ", inputs=" + inputPorts + ", outputs=" + outputPorts
                + ", trainedModelPorts=" + trainedModelPorts + ", requiredGlobalParameters=" + requiredGlobalParameters + "]";
    }

    /** The primary trained model port: the first of {@link #trainedModelPorts()}. */
    public String trainedModelPort() {
        return trainedModelPorts.get(0);
    }

    /** Whether {@code port} receives a trained model (.ilearner) rather than metrics. */
    public boolean isTrainedModelPort(String port) {
        return trainedModelPorts.contains(port);
    }

    boolean isGlobalParameter(String parameter) {
        return requiredGlobalParameters.contains(parameter) || optionalGlobalParameters.contains(parameter);
    }

    public static final class Builder {
        private final String name;
        private String apiKey;
        private List<String> inputPorts = List.of("input1");
        private List<String> outputPorts = List.of("output1", "output2");
        private List<String> trainedModelPorts;
        private List<String> required = List.of();
        private List<String> optional = List.of();

        private Builder(String name) {
            this.name = name;
        }

        /** Default: a random key. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Default: input1. */
        public Builder inputPorts(String... ports) {
            this.inputPorts = List.of(ports);
            return this;
        }

        /** Default: output1, output2. */
        public Builder outputPorts(String... ports) {
            this.outputPorts = List.of(ports);
            return this;
        }

        /** One trained model output, the common case; default: the first output port. */
        public Builder trainedModelPort(String port) {
            return trainedModelPorts(port);
        }

        /**
         * Several trained model outputs, e.g. {@code trainedModelPorts("output1", "output3")}: each gets its own
         * .ilearner; the first is the primary one. Default: the first output port.
         */
        public Builder trainedModelPorts(String... ports) {
            this.trainedModelPorts = List.of(ports);
            return this;
        }

        public Builder requiredGlobalParameters(String... names) {
            this.required = List.of(names);
            return this;
        }

        public Builder optionalGlobalParameters(String... names) {
            this.optional = List.of(names);
            return this;
        }

        public TrainingServiceSpec build() {
            return new TrainingServiceSpec(name, apiKey != null ? apiKey : Keys.randomApiKey(), inputPorts, outputPorts,
                    trainedModelPorts != null ? trainedModelPorts : outputPorts.stream().limit(1).toList(), required,
                    optional);
        }
    }
}
