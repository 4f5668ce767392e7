package org.camelazureml.retrain;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.camelazureml.retrain.config.InvalidConfigurationException;
import org.camelazureml.retrain.config.RetrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line entry point: scheduled (default), {@code --once}, {@code --demo}, {@code --emulator}.
 * Exit codes: 0 success, 1 the run failed, 2 configuration or usage error.
 */
@Command(name = "camel-azureml-retrain", mixinStandardHelpOptions = true, version = "camel-azureml-retrain 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Keeps an Azure ML (classic) scoring web service on a freshly retrained model: submits the training",
            "job, waits for it, fetches the .ilearner from Blob storage and PATCHes the scoring endpoint.",
            "Without a mode option it runs on the schedule (retrain.schedule.period) until stopped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed (job failed, timed out, update refused)",
            "2:configuration or usage error"})
public class RetrainApplication implements Callable<Integer> {

    static class Mode {
        @Option(names = "--once", description = "Make one run, then exit (0 when the model was deployed, 1 if not).")
        boolean once;

        @Option(names = "--demo", description = "A full retraining cycle against the built-in emulator and Azurite"
                + " (needs Node.js and `npm ci`), printed step by step.")
        boolean demo;

        @Option(names = "--emulator", description = "Run only the Azure ML classic emulator and print its URLs and"
                + " keys, to point your own routes at it.")
        boolean emulator;
    }

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file with your retrain.* settings (default: ./application.properties if"
                    + " present). -Dkey=value and RETRAIN_* environment variables override it.")
    Path config;

    @Option(names = "--routes", paramLabel = "PATTERN",
            description = "Route files to load instead of the packaged pipeline, e.g. file:routes/retrain.camel.yaml")
    String routes;

    @Option(names = "--pipeline", paramLabel = "NAME", defaultValue = RetrainConfig.DEFAULT_PIPELINE,
            description = "Pipeline for --once (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--emulator-options", paramLabel = "SPEC", hidden = true,
            description = "Options for --emulator (see README).")
    String emulatorOptions;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new RetrainApplication()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        try {
            if (mode.demo) {
                return new org.camelazureml.retrain.demo.Demo(System.out).run();
            }
            if (mode.emulator) {
                throw new UnsupportedOperationException("--emulator is not wired yet");
            }
            RetrainRuntime runtime = new RetrainRuntime(config, routes);
            return mode.once ? runtime.runOnce(pipeline) : runtime.runScheduled();
        } catch (Exception e) {
            InvalidConfigurationException invalid = findCause(e, InvalidConfigurationException.class);
            if (invalid != null) {
                err.println(invalid.getMessage());
                return RetrainRuntime.EXIT_CONFIG;
            }
            throw e;
        }
    }

    static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
