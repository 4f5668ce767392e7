package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The deployment recipe (deploy/, Dockerfile, .dockerignore) against what the project really builds and reads. That
 * the example settings pass the configuration validation is {@code DeploymentRecipeIT} (the packaged jar).
 */
class DeploymentRecipeTest {

    static final Path ENV_EXAMPLE = Path.of("deploy/retrain.env.example");

    /** The variables of an env file, {@code NAME=value} lines; with {@code commentedOut}, also {@code #NAME=value}. */
    static Map<String, String> variables(Path envFile, boolean commentedOut) throws IOException {
        Pattern line = Pattern.compile(commentedOut ? "^#?([A-Z][A-Z0-9_]*)=(.*)$" : "^([A-Z][A-Z0-9_]*)=(.*)$");
        Map<String, String> variables = new LinkedHashMap<>();
        for (String text : Files.readAllLines(envFile)) {
            Matcher matcher = line.matcher(text);
            if (matcher.matches()) {
                variables.put(matcher.group(1), matcher.group(2));
            }
        }
        return variables;
    }

    /** A key as an environment variable: upper case, '.' and '-' become '_' (README: Configuration reference). */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Keys documented in the packaged application.properties (set or commented out) and the README's tables. */
    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = Pattern.compile("(?m)^#?((?:retrain|camel)\\.[a-z0-9.-]+)=")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")))
                .results().map(match -> match.group(1)).collect(Collectors.toSet());
        Pattern.compile("\\| `((?:retrain|camel)\\.[a-z0-9.-]+)`").matcher(Files.readString(Path.of("README.md")))
                .results().forEach(match -> keys.add(match.group(1)));
        return keys;
    }

    @Test
    void everyVariableOfTheEnvExampleIsADocumentedKeyOrLogSetting() throws Exception {
        Set<String> documented = documentedKeys().stream().map(DeploymentRecipeTest::environmentName)
                .collect(Collectors.toSet());
        String logback = Files.readString(Path.of("src/main/resources/logback.xml"));
        Map<String, String> variables = variables(ENV_EXAMPLE, true);

        assertThat(variables).containsKeys("RETRAIN_TRAINING_API_KEY", "RETRAIN_SCORING_API_KEY",
                "RETRAIN_STORAGE_CONNECTION_STRING", "RETRAIN_STORE_JDBC_PASSWORD", "RETRAIN_LOG_FORMAT");
        for (String name : variables.keySet()) {
            if (name.equals("JAVA_OPTS")) {
                continue; // read by the systemd unit's ExecStart, not by the application
            }
            assertThat(documented.contains(name) || logback.contains("${" + name + ":-"))
                    .as(name + " is a documented retrain.* or camel.* key, or a variable of logback.xml").isTrue();
        }
    }

    @Test
    void theEnvExampleMarksEverySecret() throws Exception {
        List<String> lines = Files.readAllLines(ENV_EXAMPLE);
        for (String secret : List.of("RETRAIN_TRAINING_API_KEY=", "RETRAIN_SCORING_API_KEY=",
                "RETRAIN_STORAGE_CONNECTION_STRING=", "#RETRAIN_STORE_JDBC_PASSWORD=")) {
            int at = lines.stream().filter(line -> line.startsWith(secret)).findFirst().map(lines::indexOf)
                    .orElseThrow(() -> new AssertionError(secret + " missing"));
            assertThat(lines.get(at - 1)).as("the comment above " + secret).startsWith("# SECRET");
        }
    }

    @Test
    void theImageCopiesTheJarTheBuildProducesAndRunsIt() throws Exception {
        // The runnable jar the pom's shade step writes (the module jar beside it is the library artifact).
        String jar = Pattern.compile("<runnable.jar>\\$\\{project.build.directory}/([^<]+)</runnable.jar>")
                .matcher(Files.readString(Path.of("pom.xml"))).results().findFirst()
                .map(match -> "target/" + match.group(1))
                .orElseThrow(() -> new AssertionError("pom.xml declares no <runnable.jar>"));
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        List<String[]> copies = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(dockerfile).results()
                .map(match -> new String[] {match.group(1), match.group(2)}).toList();

        assertThat(copies).extracting(copy -> copy[0]).containsExactly(jar, "routes/");
        assertThat(Path.of("routes/retrain.camel.yaml")).exists();
        String jarInImage = copies.get(0)[1];
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre$")
                .containsPattern("(?m)^USER (?!root)\\w+$")
                .contains("\"-jar\", \"" + jarInImage + "\"", "\"file:/app/routes/retrain.camel.yaml\"");
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore"));
        assertThat(ignore).contains("*", "!" + jar, "!routes/");
    }

    @Test
    void theSystemdUnitRunsTheJarWithTheEnvFileAndDoesNotRestartOnAConfigurationError() throws Exception {
        String unit = Files.readString(Path.of("deploy/camel-azureml-retrain.service"));

        assertThat(unit).containsPattern("(?m)^EnvironmentFile=/etc/camel-azureml-retrain/retrain\\.env$")
                .containsPattern("(?m)^ExecStart=/usr/bin/java \\$JAVA_OPTS (?:-XX:\\S+ )*-jar \\S+/camel-azureml-retrain\\.jar ")
                .containsPattern("(?m)^RestartPreventExitStatus=" + RetrainRuntime.EXIT_CONFIG + "$")
                .containsPattern("(?m)^Restart=on-failure$");
    }

    @Test
    void theImageAndTheUnitStartWithTheClassArchiveTheirTrainingRunWrites() throws Exception {
        // README: Faster start-up. The archive a start maps must be the one --cds-training wrote.
        Pattern written = Pattern.compile("-XX:ArchiveClassesAtExit=\"?(\\S+?)\"? .*--cds-training");
        Pattern used = Pattern.compile("-XX:SharedArchiveFile=([^\"\\s]+)");
        for (Path recipe : List.of(Path.of("Dockerfile"), Path.of("deploy/camel-azureml-retrain.service"))) {
            String text = Files.readString(recipe).replace("\\\n", " ");
            Matcher training = written.matcher(text);
            Matcher start = used.matcher(text);
            assertThat(training.find()).as(recipe + " runs --cds-training under -XX:ArchiveClassesAtExit").isTrue();
            assertThat(start.find()).as(recipe + " starts with -XX:SharedArchiveFile").isTrue();
            assertThat(start.group(1)).as(recipe.toString()).isEqualTo(training.group(1));
        }
    }

    @Test
    void theJitDirectivesFileIsOneTheJvmAccepts() throws Exception {
        // README: Performance. A JVM given a file it cannot parse refuses to start.
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(javaCommand, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=deploy/jit-directives.json", "-version").redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(jvm.waitFor()).as(output).isZero();
        assertThat(output).contains("2 compiler directives added").doesNotContainIgnoringCase("error");
    }
}
