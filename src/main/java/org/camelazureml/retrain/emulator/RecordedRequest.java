package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One request the emulator answered. The Authorization header is never recorded and query
 * strings have SAS signatures redacted.
 *
 * @param at        when it arrived
 * @param method    HTTP method
 * @param path      path and (redacted) query
 * @param operation the matched operation, or null for an unknown path
 * @param status    the HTTP status answered, or 0 when the connection was dropped on purpose
 * @param duration  from arrival to answer
 */
public record RecordedRequest(Instant at, String method, String path, Operation operation, int status,
                              Duration duration) {

    public boolean wasDropped() {
        return status == 0;
    }
}
