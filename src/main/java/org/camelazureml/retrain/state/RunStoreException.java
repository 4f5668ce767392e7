package org.camelazureml.retrain.state;

/**
 * A run store could not reach its database, or the database refused or garbled a run. The message names what was
 * being done and the table; it never carries a password.
 */
public class RunStoreException extends RuntimeException {

    public RunStoreException(String message) {
        super(message);
    }

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
