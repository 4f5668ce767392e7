package org.camelazureml.retrain.emulator;

/** A BES job's status, with its documented string and integer (0..4) forms. */
public enum JobStatus {
    NOT_STARTED("NotStarted"),
    RUNNING("Running"),
    FAILED("Failed"),
    CANCELLED("Cancelled"),
    FINISHED("Finished");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The string form: NotStarted, Running, Failed, Cancelled, Finished. */
    public String wireName() {
        return wireName;
    }

    /** The older integer form: 0..4 in declaration order. */
    public int code() {
        return ordinal();
    }

    public boolean isTerminal() {
        return this == FAILED || this == CANCELLED || this == FINISHED;
    }

    public static JobStatus fromWireName(String name) {
        for (JobStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown job status '" + name
                + "'; expected NotStarted, Running, Failed, Cancelled or Finished");
    }
}
