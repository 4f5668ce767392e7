package org.camelazureml.retrain.azurite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzuriteServerTest {

    @Test
    void startsOnALoopbackPortAndStopsItsOwnProcessByPid() {
        AzuriteServer azurite = AzuriteServer.start();
        long pid = azurite.pid();
        int port = azurite.port();
        Path log = azurite.logFile();
        try {
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(handle -> {
                assertThat(handle.isAlive()).isTrue();
                assertThat(handle.info().arguments().map(List::of).orElse(List.of()))
                        .contains("--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--disableTelemetry",
                                "--silent", "--skipApiVersionCheck", "--location");
            });
            assertThat(azurite.blobEndpoint()).isEqualTo("http://127.0.0.1:" + port + "/devstoreaccount1");
            assertThat(azurite.connectionString()).isEqualTo("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                    + "AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:" + port
                    + "/devstoreaccount1;");

            BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                    .buildClient().getBlobContainerClient("probe");
            container.create();
            container.getBlobClient("hello.txt").upload(BinaryData.fromString("hello"));
            assertThat(container.getBlobClient("hello.txt").downloadContent().toString()).isEqualTo("hello");
        } finally {
            azurite.close();
        }

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(azurite.isAlive()).isFalse();
        assertThat(answers(port)).isFalse();
        assertThat(log.getParent()).doesNotExist();
        azurite.close(); // idempotent
    }

    @Test
    void theCommandAlwaysKeepsAzuriteOnLoopbackWithoutTelemetry(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("main.js");
        Files.writeString(script, "");
        Path node = Path.of("/usr/bin/node");

        List<String> inMemory = AzuriteServer.command(node, script, 12345, dir, AzuriteOptions.inMemoryPersistence()
                .withExtraArgs("--loose"));
        List<String> onDisk = AzuriteServer.command(node, script, 12345, dir, AzuriteOptions.defaults());

        assertThat(inMemory).startsWith(node.toString(), script.toRealPath().toString())
                .containsSubsequence("--blobHost", "127.0.0.1", "--blobPort", "12345", "--disableTelemetry")
                .contains("--silent", "--skipApiVersionCheck", "--inMemoryPersistence", "--loose")
                .doesNotContain("--location");
        assertThat(onDisk).containsSubsequence("--location", dir.toString()).doesNotContain("--inMemoryPersistence")
                .contains("--disableTelemetry");
    }

    @Test
    void aMissingBinaryGivesTheNpmCiInstruction() {
        String previous = System.getProperty("azurite.blob");
        System.setProperty("azurite.blob", "/nonexistent/node_modules/.bin/azurite-blob");
        try {
            assertThatThrownBy(AzuriteServer::start).isInstanceOf(AzuriteNotAvailableException.class)
                    .hasMessageStartingWith("Azurite not installed: run `npm ci` in the project directory")
                    .hasMessageContaining("/nonexistent/node_modules/.bin/azurite-blob");
        } finally {
            if (previous == null) {
                System.clearProperty("azurite.blob");
            } else {
                System.setProperty("azurite.blob", previous);
            }
        }
    }

    @Test
    void noNodeModulesUpwardsGivesTheNpmCiInstruction(@TempDir Path dir) {
        AzuriteBinaryLocator locator = new AzuriteBinaryLocator(System.getenv("PATH"), dir, null);

        assertThatThrownBy(locator::azuriteBlob).isInstanceOf(AzuriteNotAvailableException.class)
                .hasMessageStartingWith("Azurite not installed: run `npm ci` in the project directory");
    }

    @Test
    void findsNodeModulesInAParentDirectory(@TempDir Path dir) throws IOException {
        Path binary = Files.createDirectories(dir.resolve("node_modules/.bin")).resolve("azurite-blob");
        Files.writeString(binary, "#!/usr/bin/env node\n");
        Path nested = Files.createDirectories(dir.resolve("a/b"));

        assertThat(new AzuriteBinaryLocator("", nested, null).azuriteBlob()).isEqualTo(binary);
    }

    @Test
    void noNodeOnPathSaysToInstallNode(@TempDir Path emptyDir) {
        AzuriteBinaryLocator locator = new AzuriteBinaryLocator(emptyDir.toString(), emptyDir, null);

        assertThatThrownBy(locator::node).isInstanceOf(AzuriteNotAvailableException.class)
                .hasMessageStartingWith("Node.js not found on PATH: install Node.js 18+");
    }

    @Test
    void aScriptThatExitsAtOnceFailsWithItsOutput(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("fake-azurite.js");
        Files.writeString(fake, "console.error('simulated start-up failure'); process.exit(3);\n");
        AzuriteBinaryLocator locator = new AzuriteBinaryLocator(System.getenv("PATH"), dir, fake.toString());

        assertThatThrownBy(() -> AzuriteServer.start(AzuriteOptions.defaults(), locator))
                .isInstanceOf(AzuriteNotAvailableException.class)
                .hasMessageContaining("exited before listening")
                .hasMessageContaining("simulated start-up failure");
    }

    @Test
    void managedArgumentsCannotBeOverridden() {
        assertThatThrownBy(() -> AzuriteOptions.defaults().withExtraArgs("--blobPort", "10000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--blobPort");
        assertThat(AzuriteOptions.defaults().withExtraArgs("--loose").extraArgs()).containsExactly("--loose");
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
