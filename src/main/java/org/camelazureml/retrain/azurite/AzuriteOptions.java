package org.camelazureml.retrain.azurite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to start Azurite's blob service.
 *
 * @param dataLocation   directory Azurite keeps its data in; {@code null} = a fresh temporary
 *                       directory deleted on close. A directory given here is never deleted.
 * @param inMemory       keep blobs in memory only ({@code --inMemoryPersistence}); dataLocation is ignored
 * @param extraArgs      further Azurite arguments; the ones this launcher manages cannot be overridden
 * @param startupTimeout how long to wait for the port to answer
 */
public record AzuriteOptions(Path dataLocation, boolean inMemory, List<String> extraArgs, Duration startupTimeout) {

    /** Arguments the launcher always sets itself (host, port, telemetry, location, logging). */
    static final Set<String> MANAGED_ARGS = Set.of("--blobHost", "--blobPort", "--disableTelemetry",
            "--location", "-l", "--silent", "-s", "--inMemoryPersistence", "--debug", "-d");

    public AzuriteOptions {
        extraArgs = List.copyOf(Objects.requireNonNullElse(extraArgs, List.of()));
        startupTimeout = Objects.requireNonNullElse(startupTimeout, Duration.ofSeconds(60));
        for (String arg : extraArgs) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (MANAGED_ARGS.contains(flag)) {
                throw new IllegalArgumentException("Azurite argument " + flag
                        + " is set by AzuriteServer itself; use AzuriteOptions fields instead");
            }
        }
    }

    /** A temporary data directory, deleted on close. */
    public static AzuriteOptions defaults() {
        return new AzuriteOptions(null, false, List.of(), null);
    }

    public static AzuriteOptions inMemoryPersistence() {
        return new AzuriteOptions(null, true, List.of(), null);
    }

    public AzuriteOptions withDataLocation(Path dir) {
        return new AzuriteOptions(dir, false, extraArgs, startupTimeout);
    }

    public AzuriteOptions withExtraArgs(String... args) {
        return new AzuriteOptions(dataLocation, inMemory, List.of(args), startupTimeout);
    }

    public AzuriteOptions withStartupTimeout(Duration timeout) {
        return new AzuriteOptions(dataLocation, inMemory, extraArgs, timeout);
    }
}
