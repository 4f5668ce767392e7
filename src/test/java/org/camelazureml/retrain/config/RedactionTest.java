package org.camelazureml.retrain.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masksSignaturesKeysAndTokens() {
        String text = "GET https://a.blob.core.windows.net/c/b?sv=2021&sr=b&sig=AbC%2B123%3D&se=2026 failed;"
                + " DefaultEndpointsProtocol=https;AccountName=a;AccountKey=S3cr3t==;EndpointSuffix=core.windows.net"
                + " SharedAccessSignature=sv=1&sig=zzz; Authorization: Bearer eyJhbGciOi.abc-def";

        String masked = Redaction.redact(text);

        assertThat(masked).doesNotContain("AbC%2B123%3D", "S3cr3t==", "zzz", "eyJhbGciOi.abc-def")
                .contains("sig=******", "AccountKey=******", "Bearer ******", "AccountName=a", "sr=b");
    }

    @Test
    void masksPasswordsInJdbcUrls() {
        String text = "cannot connect to jdbc:postgresql://db:5432/runs?user=app&password=p%40ss!&sslpassword=k3y&ssl=true"
                + " or jdbc:sqlserver://db;user=app;Password=Pa55;encrypt=true";

        String masked = Redaction.redact(text);

        assertThat(masked).doesNotContain("p%40ss!", "k3y", "Pa55")
                .contains("?user=app&password=******&sslpassword=******&ssl=true", ";Password=******;encrypt=true");
    }

    @Test
    void secretsPrintMasked() {
        assertThat(Secret.of("key").toString()).isEqualTo("******");
        assertThat(String.valueOf(Secret.of("key"))).doesNotContain("key");
    }
}
