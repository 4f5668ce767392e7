package org.camelazureml.retrain.emulator;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A training job as the emulator sees it, at one moment.
 *
 * @param id          the job id (32 hex characters)
 * @param status      the current status
 * @param submittedAt when it was submitted
 * @param startedAt   when a start call was accepted, or null
 * @param runningAt   when it began Running, or null
 * @param endedAt     when it became Finished, Failed or Cancelled, or null
 * @param startCount  start calls received for this job (rejected ones included)
 * @param cancelCount DELETE calls received for this job
 * @param outputs     port to the RelativeLocation the client asked for
 * @param details     the Details text of a Failed job, or null
 */
public record JobSnapshot(String id, JobStatus status, Instant submittedAt, Instant startedAt, Instant runningAt,
                          Instant endedAt, int startCount, int cancelCount, Map<String, String> outputs,
                          String details) {

    public JobSnapshot {
        outputs = Map.copyOf(outputs);
    }

    public Optional<String> failureDetails() {
        return Optional.ofNullable(details);
    }
}
