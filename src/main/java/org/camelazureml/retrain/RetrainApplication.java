package org.camelazureml.retrain;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.camel.util.ObjectHelper;
import org.camelazureml.retrain.azurite.AzuriteNotAvailableException;
import org.camelazureml.retrain.cli.CheckCommand;
import org.camelazureml.retrain.cli.HistoryCommand;
import org.camelazureml.retrain.cli.LiveCommand;
import org.camelazureml.retrain.cli.PipelinesCommand;
import org.camelazureml.retrain.cli.RollbackCommand;
import org.camelazureml.retrain.cli.RunsCommand;
import org.camelazureml.retrain.cli.ShowRunCommand;
import org.camelazureml.retrain.cli.TriggerCommand;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.InvalidConfigurationException;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.demo.Demo;
import org.camelazureml.retrain.state.RunStoreException;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Command line entry point: scheduled (default), {@code --once}, {@code --demo}, {@code --emulator},
 * {@code --cds-training}.
 * Exit codes: 0 success, 1 the run failed, 2 configuration or usage error.
 */
@Command(name = "camel-azureml-retrain", mixinStandardHelpOptions = true, version = "camel-azureml-retrain 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Keeps an Azure ML (classic) scoring web service on a freshly retrained model: submits the"
                + " training job, waits for it, fetches the .ilearner from Blob storage and PATCHes the scoring"
                + " endpoint. Without a mode option it runs on the schedule (retrain.schedule.period) until stopped.",
        subcommands = {PipelinesCommand.class, RunsCommand.class, ShowRunCommand.class, LiveCommand.class,
            HistoryCommand.class, TriggerCommand.class, RollbackCommand.class, CheckCommand.class},
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

        @Option(names = "--cds-training", description = "One run against the built-in emulator (no Azure, no"
                + " network, nothing kept), for a class data sharing archive that makes every later start faster:"
                + " java -XX:ArchiveClassesAtExit=FILE -jar ... --cds-training, then start with"
                + " -XX:SharedArchiveFile=FILE (README: Faster start-up).")
        boolean cdsTraining;
    }

    @Spec
    CommandSpec spec;

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
    String pipeline = RetrainConfig.DEFAULT_PIPELINE; // also without picocli (RunModeArguments)

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "With --emulator: port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--job-duration", paramLabel = "DURATION", defaultValue = "5s",
            description = "With --emulator: how long each training job runs (default: ${DEFAULT-VALUE}).")
    String jobDuration;

    @Option(names = "--queue-time", paramLabel = "DURATION", defaultValue = "1s",
            description = "With --emulator: how long a started job stays NotStarted (default: ${DEFAULT-VALUE}).")
    String queueTime;

    @Option(names = "--faults", paramLabel = "SPEC",
            description = "With --emulator: faults to inject, e.g. status:503x2@retry-after=1,job:failed=Out of"
                    + " memory (grammar in the README).")
    String faults;

    @Option(names = "--azurite", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --emulator: also start Azurite with sample training data (default: ${DEFAULT-VALUE}).")
    boolean azurite;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/demo",
            description = "With --demo: where the demo keeps its run records and model archive"
                    + " (default: ${DEFAULT-VALUE}).")
    Path demoDataDir;

    public static void main(String[] args) {
        if (List.of(args).contains("--once")) {
            StartupWarmup.start(); // only where it shortens the way to the submit: elsewhere it would only cost memory
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        Optional<RetrainApplication> serviceMode = RunModeArguments.parse(args); // without picocli: see there
        if (serviceMode.isPresent()) {
            return serviceMode.get().callAsCommandLine();
        }
        CommandLine commandLine = new CommandLine(new RetrainApplication());
        // the same clean messages and exit codes for a configuration or environment problem in any command
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> setupProblem(e, System.err)
                .orElseThrow(() -> e));
        commandLine.setExecutionStrategy(parsed -> new CommandLine.RunLast().execute(configBeforeCommand(parsed)));
        return commandLine.execute(args);
    }

    /** {@code --config FILE runs} means the same as {@code runs --config FILE}: the command gets the file. */
    private static ParseResult configBeforeCommand(ParseResult parsed) {
        OptionSpec given = parsed.matchedOption("--config");
        if (given != null && parsed.hasSubcommand()) {
            ParseResult command = parsed.subcommand();
            OptionSpec own = command.commandSpec().findOption("--config");
            if (own != null && command.matchedOption("--config") == null) {
                own.setValue(given.getValue());
            }
        }
        return parsed;
    }

    /** {@link #call()}, ending as picocli ends a command: a setup problem as below, anything else with its trace. */
    private int callAsCommandLine() {
        try {
            return call();
        } catch (Exception e) {
            return setupProblem(e, System.err).orElseGet(() -> {
                e.printStackTrace();
                return 1; // picocli's exit code for an unexpected exception
            });
        }
    }

    @Override
    public Integer call() throws Exception {
        RetrainRuntime.requireReadable(config); // in every mode, also those that read no file (--demo, --emulator)
        if (mode.demo) {
            return new Demo(System.out, demoDataDir).run();
        }
        if (mode.cdsTraining) {
            return ClassArchiveTraining.run(routes, System.out);
        }
        if (mode.emulator) {
            EmulatorLauncher.runUntilShutdown(EmulatorLauncher.Options.builder().port(port)
                    .jobDuration(duration("--job-duration", jobDuration))
                    .queueTime(duration("--queue-time", queueTime))
                    .faultSpec(faults).startAzurite(azurite).build(), System.out);
            return RetrainRuntime.EXIT_OK;
        }
        RetrainRuntime runtime = new RetrainRuntime(config, routes);
        return mode.once ? runtime.runOnce(pipeline) : runtime.runScheduled();
    }

    /**
     * A problem of configuration or environment (invalid settings, no Azurite for the demo, an unreachable run store
     * database): its message, and exit code 2. Anything else is a bug and keeps its stack trace.
     */
    static Optional<Integer> setupProblem(Exception e, PrintStream err) {
        for (Class<? extends Exception> setupProblem : List.of(InvalidConfigurationException.class,
                AzuriteNotAvailableException.class, RunStoreException.class)) {
            Exception problem = ObjectHelper.getException(setupProblem, e);
            if (problem != null) {
                err.println(problem.getMessage());
                return Optional.of(RetrainRuntime.EXIT_CONFIG);
            }
        }
        return Optional.empty();
    }

    private Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + e.getMessage());
        }
    }

}
