package org.camelazureml.retrain.azurite;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds {@code node} and Azurite's blob entry point. Kept apart from the launcher so that the
 * "what to do" messages can be tested with a fake PATH and working directory.
 */
final class AzuriteBinaryLocator {

    static final String BINARY_PROPERTY = "azurite.blob";
    static final String BINARY_ENV = "AZURITE_BLOB";
    static final String NODE_MISSING = "Node.js not found on PATH: install Node.js 18+ (https://nodejs.org or your"
            + " package manager, e.g. `apt-get install nodejs npm`) and make sure `node` is on PATH";
    static final String AZURITE_MISSING = "Azurite not installed: run `npm ci` in the project directory";

    private final String pathVariable;
    private final Path workingDirectory;
    private final String configuredBinary;

    AzuriteBinaryLocator(String pathVariable, Path workingDirectory, String configuredBinary) {
        this.pathVariable = pathVariable == null ? "" : pathVariable;
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.configuredBinary = configuredBinary == null || configuredBinary.isBlank() ? null : configuredBinary;
    }

    /** The locator for this JVM: system property azurite.blob, else env AZURITE_BLOB, else node_modules upwards. */
    static AzuriteBinaryLocator fromEnvironment() {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(BINARY_ENV);
        }
        return new AzuriteBinaryLocator(System.getenv("PATH"), Path.of(""), configured);
    }

    Path node() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : windows ? new String[] {"node.exe", "node"} : new String[] {"node"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AzuriteNotAvailableException(NODE_MISSING);
    }

    Path azuriteBlob() {
        if (configuredBinary != null) {
            Path configured = Path.of(configuredBinary).toAbsolutePath();
            if (!Files.isRegularFile(configured)) {
                throw new AzuriteNotAvailableException(AZURITE_MISSING + " (" + BINARY_PROPERTY + "/" + BINARY_ENV
                        + " points to " + configured + ", which does not exist; fix or unset it)");
            }
            return configured;
        }
        return searchUpwards().orElseThrow(() -> new AzuriteNotAvailableException(AZURITE_MISSING
                + " (no node_modules/.bin/azurite-blob in " + workingDirectory + " or its parents; or set "
                + BINARY_ENV + " to the azurite-blob script)"));
    }

    private Optional<Path> searchUpwards() {
        for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
