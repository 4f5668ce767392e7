package org.camelazureml.retrain.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The remote calls the emulator answers; the names are the ones the fault spec uses. */
public enum Operation {
    /** POST .../jobs */
    SUBMIT("submit"),
    /** POST .../jobs/{id}/start */
    START("start"),
    /** GET .../jobs/{id} */
    STATUS("status"),
    /** DELETE .../jobs/{id} */
    CANCEL("cancel"),
    /** PATCH .../webservices/{id}/endpoints/{ep} */
    UPDATE("update"),
    /** GET .../webservices/{id}/endpoints/{ep} */
    GET_ENDPOINT("get-endpoint"),
    /** POST .../services/{ep}/execute (Request-Response scoring) */
    EXECUTE("execute");

    private final String specName;

    Operation(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
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
