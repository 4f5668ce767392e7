package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --config FILE} that cannot be read is a configuration error (exit 2, one clear line) in every mode. */
class ConfigFileOptionTest {

    @TempDir
    Path dir;

    record Cli(int exit, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Cli(RetrainApplication.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    /** The mode's arguments, with {@code FILE} standing for the configuration file. */
    @ParameterizedTest
    @ValueSource(strings = {"--config FILE", "--once --config FILE", "--demo --config FILE", "--config FILE --once",
        "--emulator --config FILE", "runs --config FILE", "check --config FILE", "pipelines --config FILE",
        "live --config FILE", "history --config FILE", "run 20261128-000000-000000 --config FILE",
        "trigger --config FILE", "rollback --to previous --config FILE", "--config FILE runs", "--config FILE check"})
    void aMissingFileExitsTwoSayingSo(String mode) {
        Path missing = dir.resolve("no-such.properties");

        Cli cli = cli(args(mode, missing));

        assertThat(cli.exit()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid configuration (1 problem); nothing was submitted:",
                "configuration file " + missing.toAbsolutePath() + " does not exist (given with --config)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--once --config FILE", "runs --config FILE", "--config FILE check"})
    void aDirectoryIsNotAConfigurationFile(String mode) {
        Cli cli = cli(args(mode, dir));

        assertThat(cli.exit()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).contains("configuration file " + dir.toAbsolutePath() + " is not a file");
    }

    @Test
    void anUnreadableFileExitsTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("retrain.properties"), "retrain.training.api-key=k\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        Assumptions.assumeFalse(Files.isReadable(file), "the file stays readable for this user (root)");

        Cli cli = cli("runs", "--config", file.toString());

        assertThat(cli.exit()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).contains("configuration file " + file.toAbsolutePath() + " is not readable");
    }

    private static String[] args(String mode, Path file) {
        List<String> args = new ArrayList<>();
        for (String arg : mode.split(" ")) {
            args.add(arg.equals("FILE") ? file.toString() : arg);
        }
        return args.toArray(String[]::new);
    }
}
