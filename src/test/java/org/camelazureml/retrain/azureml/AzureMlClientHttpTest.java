package org.camelazureml.retrain.azureml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.camelazureml.retrain.config.Secret;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client of the Azure ML calls leaves out what would change their meaning (HttpClient's own retries, cookies
 * shared between pipelines) while the context's {@code http} component keeps camel-http's defaults for the host's
 * other routes.
 */
class AzureMlClientHttpTest {

    @Test
    void aThrottledCallReachesTheRetryPolicyInsteadOfBeingRetriedByHttpClient() throws Exception {
        try (AzureMlEmulator emulator = AzureMlClientWarmUpTest.emulatorWithOneEndpoint();
             DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // HttpClient 5 on its own resends an idempotent call answered 503 with a Retry-After
            emulator.faults().respondWithStatus(Operation.GET_ENDPOINT, 503, 1, Duration.ofSeconds(1));
            AzureMlClient client = new AzureMlClient(camel);

            AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                    () -> client.describeEndpoint(AzureMlClientWarmUpTest.scoringEndpoint(emulator)));

            assertThat(e).as("the 503 is the caller's to retry").isNotNull();
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(emulator.requests()).extracting(RecordedRequest::status).containsExactly(503);
            assertThat(camel.getComponent("http", HttpComponent.class).isAutomaticRetriesDisabled())
                    .as("the context's component is left as it was").isFalse();
        }
    }

    @Test
    void aRedirectIsAnAnswerNotFollowedEvenWhereTheHostFollowsRedirects() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.start();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getComponent("http", HttpComponent.class).setFollowRedirects(true);
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);

            AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class, () -> client.describeEndpoint(
                    new ServiceTarget(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ep1"), null,
                            Secret.of("key"))));

            assertThat(e).isNotNull();
            assertThat(e.httpStatus()).isEqualTo(307);
            assertThat(paths).containsExactly("/ep1");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theHostsConfigurerIsAppliedAndStoppedWithTheEndpoint() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        class HostConfigurer extends ServiceSupport implements HttpClientConfigurer {
            @Override
            public void configureHttpClient(HttpClientBuilder builder) {
                builder.addRequestInterceptorFirst((request, entity, context) -> seen.add(request.getPath()));
            }
        }
        HostConfigurer host = new HostConfigurer();
        try (AzureMlEmulator emulator = AzureMlClientWarmUpTest.emulatorWithOneEndpoint();
             DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getComponent("http", HttpComponent.class).setHttpClientConfigurer(host);
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);

            assertThat(client.describeEndpoint(AzureMlClientWarmUpTest.scoringEndpoint(emulator))).isPresent();
            assertThat(seen).hasSize(1);
            assertThat(host.isStarted()).isTrue();

            camel.stop();
            assertThat(host.isStopped()).as("stopped with the endpoint, as it is without the pipeline").isTrue();
        }
    }

    @Test
    void aCookieGivenToOnePipelinesCallDoesNotGoOutWithAnothers() throws Exception {
        List<String> cookiesSent = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String cookie = exchange.getRequestHeaders().getFirst("Cookie");
            cookiesSent.add(exchange.getRequestURI().getPath() + " " + (cookie == null ? "-" : cookie));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Set-Cookie", "affinity=" + exchange.getRequestURI().getPath()
                    .substring(1) + "; Path=/");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);
            String base = "http://127.0.0.1:" + server.getAddress().getPort();

            for (String pipeline : new String[] {"first", "second", "first"}) {
                client.describeEndpoint(new ServiceTarget(URI.create(base + "/" + pipeline), null,
                        Secret.of("key-of-" + pipeline)));
            }

            assertThat(cookiesSent).containsExactly("/first -", "/second -", "/first -");
        } finally {
            server.stop(0);
        }
    }
}
