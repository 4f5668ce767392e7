package org.camelazureml.retrain.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The remote calls the emulator answers; the names are the ones the fault spec uses. */
public enum Operation {
    /** POST .../jobs */
    SUBMIT("submit", false),
    /** POST .../jobs/{id}/start */
    START("start", false),
    /** GET .../jobs/{id} */
    STATUS("status", false),
    /** DELETE .../jobs/{id} */
    CANCEL("cancel", false),
    /** PATCH .../webservices/{id}/endpoints/{ep} */
    UPDATE("update", true),
    /** GET .../webservices/{id}/endpoints/{ep} */
    GET_ENDPOINT("get-endpoint", true),
    /** POST .../services/{ep}/execute (Request-Response scoring) */
    EXECUTE("execute", true);

    private final String specName;
    private final boolean onEndpoint;

    Operation(String specName, boolean onEndpoint) {
        this.specName = specName;
        this.onEndpoint = onEndpoint;
    }

    public String specName() {
        return specName;
    }

    /**
     * Whether the call names a scoring endpoint in its path ({@code .../endpoints/{ep}} or
     * {@code .../services/{ep}/execute}), so that a fault can be limited to that endpoint.
     */
    public boolean isOnEndpoint() {
        return onEndpoint;
    }

    public static Operation fromSpecName(String name) {
        for (Operation operation : values()) {
            if (operation.specName.equals(name)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("Unknown operation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Operation::specName).collect(Collectors.joining(", ")));
    }
}
