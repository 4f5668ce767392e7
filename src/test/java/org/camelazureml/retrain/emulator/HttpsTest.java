package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.camelazureml.retrain.support.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

/** The emulator over TLS, with a self-signed certificate for 127.0.0.1. */
class HttpsTest extends EmulatorTestSupport {

    @Test
    void servesHttpsToClientsThatTrustItsCertificateOnly() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        try (AzureMlEmulator emulator = testEmulator().https(certificate.serverContext()).start()) {
            String jobsUrl = emulator.trainingJobsUrl() + "?api-version=2.0";
            String body = jobBody(DATA_CONTAINER + "/x.csv", uniqueRun()).toString();
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpClient trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .sslContext(certificate.clientContext()).build();

            assertThat(emulator.isHttps()).isTrue();
            assertThat(emulator.baseUrl()).startsWith("https://127.0.0.1:");
            assertThat(emulator.trainingJobsUrl()).startsWith("https://127.0.0.1:");
            assertThat(emulator.updateResourceUrl("ep1")).startsWith("https://127.0.0.1:");
            assertThatThrownBy(() -> EmulatorHttp.sendWith(untrusting, "POST", jobsUrl, "train-key", body,
                    Duration.ofSeconds(10))).isInstanceOf(SSLHandshakeException.class);
            assertThat(emulator.submittedJobCount()).isZero();

            HttpResponse<String> submitted = EmulatorHttp.sendWith(trusting, "POST", jobsUrl, "train-key", body,
                    Duration.ofSeconds(10));

            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            String id = json(submitted).asText();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(emulator.job(id)).isPresent();
        }
    }

    @Test
    void servesPlainHttpByDefault() {
        try (AzureMlEmulator emulator = AzureMlEmulator.builder().start()) {
            assertThat(emulator.isHttps()).isFalse();
            assertThat(emulator.baseUrl()).startsWith("http://127.0.0.1:");
        }
    }
}
