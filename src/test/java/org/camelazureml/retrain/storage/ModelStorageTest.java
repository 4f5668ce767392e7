package org.camelazureml.retrain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.camelazureml.retrain.config.Secret;
import org.camelazureml.retrain.config.StorageConnection;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ModelStorageTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ModelStorage.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    @Test
    void preparesTheClientOncePerAccountWithOneRealRequest() throws Exception {
        TestAzureMl.upload("prepared/some.ilearner", new byte[] {1});
        ModelStorage storage = new ModelStorage(
                StorageConnection.parse(Secret.of(TestAzureMl.azurite().connectionString())));

        CompletableFuture<Void> first = storage.prepare("prepared");
        first.get(30, TimeUnit.SECONDS);

        assertThat(storage.prepare("prepared")).isSameAs(first);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aContainerTheJobWillCreateIsNoProblem() throws Exception {
        ModelStorage storage = new ModelStorage(
                StorageConnection.parse(Secret.of(TestAzureMl.azurite().connectionString())));

        CompletableFuture<Void> prepared = storage.prepare("no-such-container-yet");
        prepared.get(30, TimeUnit.SECONDS);

        assertThat(prepared).isCompletedWithValue(null);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void anUnreachableAccountIsLoggedWithoutItsKeyAndTheFutureStillCompletes() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String key = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXktMTIzNDU2Nzg5MA==";
        ModelStorage storage = new ModelStorage(StorageConnection.parse(Secret.of(
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key
                        + ";BlobEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1;")));

        storage.prepare("models").get(120, TimeUnit.SECONDS);

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("Could not reach the storage account"))
                .allSatisfy(line -> assertThat(line).doesNotContain(key));
    }
}
