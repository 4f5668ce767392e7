package org.camelazureml.retrain.emulator;

import org.camelazureml.retrain.config.Redaction;

/** Where a finished job's output can be read: BaseLocation + RelativeLocation + SasBlobToken. */
record ResultLocation(String baseLocation, String relativeLocation, String sasBlobToken) {

    @Override
    public String toString() {
        return "ResultLocation[" + baseLocation + relativeLocation + ", SAS " + Redaction.redact(sasBlobToken) + "]";
    }
}
