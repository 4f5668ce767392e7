package org.camelazureml.retrain.emulator;

/** Why a training job failed; the message becomes the job's Details and holds no secrets. */
final class JobFailure extends Exception {

    JobFailure(String details) {
        super(details, null, false, false);
    }
}
