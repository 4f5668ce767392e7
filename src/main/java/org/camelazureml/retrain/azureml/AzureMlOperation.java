package org.camelazureml.retrain.azureml;

/** The remote calls the pipeline makes, named as they appear in errors and logs. */
public enum AzureMlOperation {
    SUBMIT_JOB("submit training job", "retrain.training"),
    START_JOB("start training job", "retrain.training"),
    GET_JOB_STATUS("poll training job", "retrain.training"),
    CANCEL_JOB("cancel training job", "retrain.training"),
    UPDATE_RESOURCE("update scoring resource", "retrain.scoring"),
    DESCRIBE_ENDPOINT("describe scoring endpoint", "retrain.scoring");

    private final String description;
    private final String configPrefix;

    AzureMlOperation(String description, String configPrefix) {
        this.description = description;
        this.configPrefix = configPrefix;
    }

    public String description() {
        return description;
    }

    /** The configuration keys that decide where this call goes and with which key. */
    public String configPrefix() {
        return configPrefix;
    }
}
