package org.camelazureml.retrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageConnectionTest {

    @Test
    void cloudAccountWithKey() {
        StorageConnection connection = StorageConnection.parse(Secret.of(
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net"));

        assertThat(connection.accountName()).isEqualTo("acct");
        assertThat(connection.baseLocation()).isEqualTo("https://acct.blob.core.windows.net/");
        assertThat(connection.hasAccountKey()).isTrue();
    }

    @Test
    void azuriteWithPathStyleEndpoint() {
        StorageConnection connection = StorageConnection.parse(Secret.of("DefaultEndpointsProtocol=http;"
                + "AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10123/devstoreaccount1;"));

        assertThat(connection.baseLocation()).isEqualTo("http://127.0.0.1:10123/devstoreaccount1/");
    }

    @Test
    void sasOnlyConnectionCannotSign() {
        StorageConnection connection = StorageConnection.parse(Secret.of(
                "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2020&sig=abc"));

        assertThat(connection.hasAccountKey()).isFalse();
        assertThat(connection.accountName()).isEqualTo("acct");
        assertThat(connection.baseLocation()).isEqualTo("https://acct.blob.core.windows.net/");
    }

    @Test
    void errorsNameTheProblemNotTheValue() {
        assertThatThrownBy(() -> StorageConnection.parse(Secret.of("just-a-secret-token")))
                .hasMessage("is not a connection string (expected Key=Value pairs separated by ';')")
                .hasMessageNotContaining("just-a-secret-token");
        assertThatThrownBy(() -> StorageConnection.parse(Secret.of("AccountKey=k;BlobEndpoint=ftp://x/y")))
                .hasMessage("has a BlobEndpoint that is not an http(s) URL");
    }
}
