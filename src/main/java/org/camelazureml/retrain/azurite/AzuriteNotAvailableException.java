package org.camelazureml.retrain.azurite;

/**
 * Azurite cannot be started on this machine (Node.js missing, Azurite not installed, or it did not
 * come up). The message always says what to do about it.
 */
public class AzuriteNotAvailableException extends RuntimeException {

    public AzuriteNotAvailableException(String message) {
        super(message);
    }

    public AzuriteNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
