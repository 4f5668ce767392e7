package org.camelazureml.retrain;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The command lines of the service modes, read without picocli: {@code [--once] [-c|--config FILE]
 * [--routes PATTERN] [--pipeline NAME]}, each option at most once, a value after a space or an {@code =}. picocli's
 * classes are Java 5 class files: the JVM verifies them the slow way at every start and cannot keep them in a class
 * data sharing archive, which costs a start about 0.1 s before anything else happens. Any other command line (a
 * command, help, another option, a mistake) is left to picocli; for these, both read the same
 * ({@code RunModeArgumentsTest}).
 */
final class RunModeArguments {

    private RunModeArguments() {
    }

    /** The application these arguments configure, or empty when they are not only the options above. */
    static Optional<RetrainApplication> parse(String... args) {
        RetrainApplication application = new RetrainApplication();
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String[] nameAndValue = args[i].split("=", 2);
            String name = nameAndValue[0].equals("-c") ? "--config" : nameAndValue[0];
            if (!given.add(name)) {
                return Optional.empty(); // picocli says which option is repeated
            }
            if (name.equals("--once") && nameAndValue.length == 1) {
                application.mode.once = true;
                continue;
            }
            String value = nameAndValue.length == 2 ? nameAndValue[1] : i + 1 < args.length ? args[++i] : null;
            if (value == null || value.isEmpty() || value.startsWith("-")) {
                return Optional.empty(); // picocli says what is missing
            }
            switch (name) {
                case "--config" -> application.config = Path.of(value);
                case "--routes" -> application.routes = value;
                case "--pipeline" -> application.pipeline = value;
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(application);
    }
}
