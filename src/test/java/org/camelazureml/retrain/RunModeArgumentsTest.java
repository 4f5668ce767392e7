package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The service modes' command lines read without picocli (RunModeArguments) mean what picocli makes of them. */
class RunModeArgumentsTest {

    @Test
    void readsTheServiceModesAsPicocliDoes() {
        for (List<String> args : List.of(List.<String>of(), List.of("--once"), List.of("--config", "a.properties"),
                List.of("--once", "-c", "a.properties"), List.of("-c=a.properties", "--once"),
                List.of("--config=dir/a b.properties", "--routes", "file:routes/*.yaml", "--pipeline", "churn"),
                List.of("--pipeline=churn", "--routes=classpath:x.yaml", "--once"))) {
            String[] given = args.toArray(String[]::new);
            RetrainApplication fast = RunModeArguments.parse(given).orElseThrow(() -> new AssertionError(args));
            RetrainApplication picocli = new RetrainApplication();
            new CommandLine(picocli).parseArgs(given);

            assertThat(fast.mode.once).as("--once in " + args).isEqualTo(picocli.mode.once);
            assertThat(fast.config).as("--config in " + args).isEqualTo(picocli.config);
            assertThat(fast.routes).as("--routes in " + args).isEqualTo(picocli.routes);
            assertThat(fast.pipeline).as("--pipeline in " + args).isEqualTo(picocli.pipeline);
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(List.of("runs"), List.of("--config", "a.properties", "runs"),
                List.of("--help"), List.of("-h"), List.of("--version"), List.of("--demo"), List.of("--emulator"),
                List.of("--cds-training"), List.of("--once", "--once"), List.of("--config"),
                List.of("--config", "--once"), List.of("--config="), List.of("--once=true"), List.of("-ca.properties"),
                List.of("--onse"), List.of("--once", "extra"), List.of("--port", "8080"))) {
            assertThat(RunModeArguments.parse(args.toArray(String[]::new))).as(args.toString()).isEmpty();
        }
    }
}
