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
 * @param status    the HTTP status answered, or 0 when no answer was sent on purpose (a {@code drop} or
 *                  {@code lost} fault)
 * @param duration  from arrival until the answer (or the hang-up, for a call without answer) was
 *                  ready to go out; a {@code late} answer's includes its delay
 */
public record RecordedRequest(Instant at, String method, String path, Operation operation, int status,
                              Duration duration) {

    /** No answer was sent: the connection was closed on purpose, before processing (drop) or after (lost). */
    public boolean wasDropped() {
        return status == 0;
    }
}
