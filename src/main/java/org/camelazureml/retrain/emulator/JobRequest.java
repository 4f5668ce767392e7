package org.camelazureml.retrain.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A validated BES submit body: port name to blob reference (in the service's port order), and global parameters. */
record JobRequest(Map<String, BlobReference> inputs, Map<String, BlobReference> outputs,
                  Map<String, String> globalParameters) {

    JobRequest {
        inputs = ordered(inputs);
        outputs = ordered(outputs);
        globalParameters = ordered(globalParameters);
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
