package org.camelazureml.retrain.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for {@code 127.0.0.1} (subject alternative name IP:127.0.0.1, so
 * clients' hostname checks pass), made by the JDK's own {@code keytool} into a temporary PKCS12
 * keystore that is deleted when the JVM exits. The server side gets {@link #serverContext()}; a client
 * that should trust it gets {@link #clientContext()}, or reads {@link #keystore()} with
 * {@link #password()} as its trust store (a PKCS12 key entry's certificate is a trust anchor for the
 * JDK's trust managers).
 *
 * <p>Making one runs a JVM ({@code keytool}) and takes a second or two, so {@link #forLoopback()}
 * makes one per test JVM and hands out that one; {@link #generate()} makes a new one.
 *
 * <pre>{@code
 * SelfSignedCertificate cert = SelfSignedCertificate.forLoopback();
 * AzureMlEmulator emu = AzureMlEmulator.builder().https(cert.serverContext()).start();
 * HttpClient client = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
 * }</pre>
 */
public final class SelfSignedCertificate {

    public static final String KEYSTORE_TYPE = "PKCS12";
    public static final String ALIAS = "loopback";

    private static final String PASSWORD_VARIABLE = "SELF_SIGNED_STORE_PASSWORD";

    private static SelfSignedCertificate shared;

    private final Path keystore;
    private final String password;

    private SelfSignedCertificate(Path keystore, String password) {
        this.keystore = keystore;
        this.password = password;
    }

    /** The test JVM's certificate for 127.0.0.1, generated on first use. */
    public static synchronized SelfSignedCertificate forLoopback() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    /** Generates a new EC P-256 key and certificate for 127.0.0.1, valid for two days. */
    public static SelfSignedCertificate generate() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keystore;
        try {
            Path directory = Files.createTempDirectory("self-signed-");
            directory.toFile().deleteOnExit();
            keystore = directory.resolve("loopback.p12");
            keystore.toFile().deleteOnExit(); // registered after the directory, so deleted before it
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the keystore", e);
        }
        // the password goes through the environment, never on a command line other processes can list
        keytool(password, keystore.resolveSibling("keytool.log"), List.of(
                // a short-lived JVM: C1 only and the serial collector halve its run time
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
                "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", KEYSTORE_TYPE,
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE, "-noprompt"));
        return new SelfSignedCertificate(keystore, password);
    }

    /** The PKCS12 keystore holding the key and its certificate. */
    public Path keystore() {
        return keystore;
    }

    /** The keystore's (and the key's) password. */
    public char[] password() {
        return password.toCharArray();
    }

    /** A TLS context presenting this certificate, for a server. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(), password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not build a server TLS context from " + keystore, e);
        }
    }

    /** A TLS context that trusts this certificate (the same keystore as trust store), and nothing else, for a client. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not build a client TLS context from " + keystore, e);
        }
    }

    private KeyStore load() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KEYSTORE_TYPE);
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the keystore " + keystore, e);
        }
        return store;
    }

    /** Runs {@code keytool} from this JVM's home, its output going to {@code log} (read only on failure). */
    private static void keytool(String password, Path log, List<String> arguments) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "keytool.exe" : "keytool");
        ProcessBuilder builder = new ProcessBuilder(keytool.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.command().addAll(arguments);
        builder.environment().put(PASSWORD_VARIABLE, password);
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // nothing to answer: a prompt would end at once, not hang
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            Files.delete(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while keytool ran", e);
        }
    }
}
