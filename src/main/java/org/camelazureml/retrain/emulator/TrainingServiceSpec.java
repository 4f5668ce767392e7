package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
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
 * @param trainedModelPort         the output that receives the trained model (.ilearner); the others get
 *                                 evaluation metrics as a dataset (.csv, .tsv or .arff)
 * @param requiredGlobalParameters global parameters every submit must set
 * @param optionalGlobalParameters global parameters a submit may set; any other name is rejected
 */
public record TrainingServiceSpec(String name, String apiKey, List<String> inputPorts, List<String> outputPorts,
                                  String trainedModelPort, List<String> requiredGlobalParameters,
                                  List<String> optionalGlobalParameters) {

    public TrainingServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiKey, "apiKey");
        inputPorts = List.copyOf(inputPorts);
        outputPorts = List.copyOf(outputPorts);
        requiredGlobalParameters = List.copyOf(requiredGlobalParameters);
        optionalGlobalParameters = List.copyOf(optionalGlobalParameters);
        if (inputPorts.isEmpty() || outputPorts.isEmpty()) {
            throw new IllegalArgumentException("A training service needs at least one input and one output port");
        }
        if (!outputPorts.contains(trainedModelPort)) {
            throw new IllegalArgumentException("trainedModelPort '" + trainedModelPort + "' is not one of the output ports "
                    + outputPorts);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String toString() {
        // the key stays out of logs and assertion messages
        return "TrainingServiceSpec[" + name + ", inputs=" + inputPorts + ", outputs=" + outputPorts
                + ", trainedModelPort=" + trainedModelPort + ", requiredGlobalParameters=" + requiredGlobalParameters + "]";
    }

    boolean isGlobalParameter(String parameter) {
        return requiredGlobalParameters.contains(parameter) || optionalGlobalParameters.contains(parameter);
    }

    public static final class Builder {
        private final String name;
        private String apiKey;
        private List<String> inputPorts = List.of("input1");
        private List<String> outputPorts = List.of("output1", "output2");
        private String trainedModelPort;
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

        /** Default: the first output port. */
        public Builder trainedModelPort(String port) {
            this.trainedModelPort = port;
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
            List<String> outputs = new ArrayList<>(outputPorts);
            return new TrainingServiceSpec(name, apiKey != null ? apiKey : Keys.randomApiKey(), inputPorts, outputs,
                    trainedModelPort != null ? trainedModelPort : outputs.get(0), required, optional);
        }
    }
}
