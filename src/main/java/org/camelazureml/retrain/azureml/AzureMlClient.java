package org.camelazureml.retrain.azureml;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Service;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Every remote call to Azure ML classic, one method per API call, sent through camel-http endpoints so the
 * standard component options (timeouts, proxy, TLS) apply. Non-2xx answers and lost connections become
 * {@link AzureMlCallException}s that say what failed and whether a retry can help; retrying is the route's job.
 */
public class AzureMlClient {

    public static final String BES_API_VERSION = "api-version=2.0";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final CamelContext camel;
    private final ProducerTemplate template;
    /**
     * One camel-http endpoint per host (scheme, host and port), resolved once: looking an endpoint up by its URI
     * normalizes the URI on every call, and every camel-http endpoint builds its own HTTP client, connection pool
     * and TLS context, so a thousand pipelines, each with its own scoring endpoint URL on the same host, would have
     * a thousand of each.
     */
    private final Map<URI, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** Each configured service URL's host, worked out once (parsing a URI per call showed in the CPU profile). */
    private final Map<URI, URI> hosts = new ConcurrentHashMap<>();

    public AzureMlClient(CamelContext camel) {
        this.camel = camel;
        this.template = camel.createProducerTemplate();
    }

    /**
     * Builds the JSON (de)serialisers of a submit and a status reply (start-up warm-up: the first submit then finds
     * them ready).
     */
    public static void warmUpJson() throws IOException {
        BlobReference blob = new BlobReference("warm-up", "warm-up", null, null);
        JSON.writeValueAsBytes(new BatchJobRequest(Map.of("in", blob), Map.of("out", blob), Map.of()));
        JSON.readValue("\"warm-up\"", String.class);
        JSON.readValue("{\"StatusCode\":\"Running\",\"Results\":null,\"Details\":null}", JobStatusResponse.class);
    }

    /**
     * Creates the HTTP client of {@code target}'s camel-http endpoint (the one every later call uses) ahead of the
     * first call, e.g. on another thread while a run is being created.
     */
    public void prepare(ServiceTarget target) {
        if (endpoint(target.url()) instanceof HttpEndpoint http) {
            http.getHttpClient();
        }
    }

    /** {@code POST .../jobs}: creates the job (does not start it) and returns its id, sent as a bare JSON string. */
    public String submitJob(ServiceTarget training, BatchJobRequest request) {
        HttpReply reply = call(AzureMlOperation.SUBMIT_JOB, HttpMethods.POST, training, training.url(), request);
        String jobId = readJson(AzureMlOperation.SUBMIT_JOB, reply, String.class);
        if (jobId == null || jobId.isBlank() || !jobId.matches("[A-Za-z0-9-]+")) {
            throw protocolError(AzureMlOperation.SUBMIT_JOB, reply, "expected a bare JSON string job id");
        }
        return jobId;
    }

    /** {@code POST .../jobs/{id}/start}. */
    public void startJob(ServiceTarget training, String jobId) {
        call(AzureMlOperation.START_JOB, HttpMethods.POST, training, training.resolve(jobId, "start"), null);
    }

    /** {@code GET .../jobs/{id}}. */
    public JobStatusResponse jobStatus(ServiceTarget training, String jobId) {
        HttpReply reply = call(AzureMlOperation.GET_JOB_STATUS, HttpMethods.GET, training, training.resolve(jobId), null);
        JobStatusResponse status = readJson(AzureMlOperation.GET_JOB_STATUS, reply, JobStatusResponse.class);
        if (status == null || status.statusCode() == null) {
            throw protocolError(AzureMlOperation.GET_JOB_STATUS, reply, "the status body has no StatusCode");
        }
        return status;
    }

    /** {@code DELETE .../jobs/{id}}: cancels (and deletes) the job. */
    public void cancelJob(ServiceTarget training, String jobId) {
        call(AzureMlOperation.CANCEL_JOB, HttpMethods.DELETE, training, training.resolve(jobId), null);
    }

    /** {@code PATCH} on a scoring endpoint: points it at a new trained model. */
    public void updateResource(ServiceTarget scoring, UpdateResourceRequest request) {
        call(AzureMlOperation.UPDATE_RESOURCE, HttpMethods.PATCH, scoring, scoring.url(), request);
    }

    /**
     * {@code GET} on a scoring endpoint. Empty when the answer has a shape we do not know: the documentation does
     * not give it, so callers treat empty as "cannot confirm".
     */
    public Optional<EndpointDescription> describeEndpoint(ServiceTarget scoring) {
        HttpReply reply = call(AzureMlOperation.DESCRIBE_ENDPOINT, HttpMethods.GET, scoring, scoring.url(), null);
        try {
            EndpointDescription description = JSON.readValue(reply.body(), EndpointDescription.class);
            return description != null && description.resources() != null ? Optional.of(description) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private HttpReply call(AzureMlOperation operation, HttpMethods method, ServiceTarget target, URI url, Object body) {
        Endpoint endpoint = endpoint(target.url());
        Exchange exchange = template.send(endpoint, request -> {
            Message message = request.getMessage();
            // the enum camel-http reads; a String would go through the type converter on every call
            message.setHeader(Exchange.HTTP_METHOD, method);
            message.setHeader(Exchange.HTTP_URI, url.toString());
            if (target.query() != null) {
                message.setHeader(Exchange.HTTP_QUERY, target.query());
            }
            message.setHeader("Authorization", "Bearer " + target.apiKey().reveal());
            message.setHeader("Accept", "application/json");
            if (body != null) {
                message.setHeader(Exchange.CONTENT_TYPE, "application/json");
                message.setBody(JSON.writeValueAsBytes(body));
            }
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            if (failure instanceof IOException) {
                throw new AzureMlCallException(operation, failure);
            }
            throw new IllegalStateException(operation.description() + " could not be sent: " + failure.getMessage(),
                    failure);
        }
        Message response = exchange.getMessage();
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = response.getBody(String.class);
        HttpReply reply = new HttpReply(status, text == null ? "" : text);
        if (status < 200 || status > 299) {
            throw new AzureMlCallException(operation, status, parseError(text), text,
                    parseRetryAfter(response.getHeader("Retry-After", String.class)));
        }
        return reply;
    }

    private Endpoint endpoint(URI serviceUrl) {
        URI host = hosts.computeIfAbsent(serviceUrl, AzureMlClient::host);
        Endpoint endpoint = endpoints.get(host);
        // an endpoint Camel dropped from its registry (it keeps a bounded number) is stopped: look it up again
        if (endpoint == null || !ServiceHelper.isStarted(endpoint)) {
            endpoint = camel.getEndpoint(camelUri(host));
            if (endpoint instanceof HttpEndpoint http && !(http.getHttpClientConfigurer() instanceof CallClient)) {
                http.setHttpClientConfigurer(new CallClient(http.getHttpClientConfigurer()));
            }
            endpoints.put(host, endpoint);
        }
        return endpoint;
    }

    /**
     * The HTTP client of the Azure ML calls: the configurer the endpoint already had (the host's, for a proxy or
     * authentication; stopped with the endpoint, as it would have been), then what the calls leave out. Set before
     * the endpoint first builds its client; the host's {@code http} component and its other endpoints keep
     * camel-http's defaults. Automatic retries and redirects: one retry policy, the route's (HttpClient would resend
     * a call behind its back, retry a 429 or 503 itself, or resend a POST to where a 307 points). Cookies:
     * one client per host serves every pipeline, each with its own API key, so a cookie given to one pipeline's call
     * must not go out with another's. Compression, the authentication cache, connection state: the answers are small
     * JSON and the key goes in each call's {@code Authorization} header, so these would only cost CPU on every call.
     */
    record CallClient(HttpClientConfigurer hosts) implements HttpClientConfigurer, Service {
        @Override
        public void configureHttpClient(HttpClientBuilder builder) {
            if (hosts != null) {
                hosts.configureHttpClient(builder);
            }
            builder.disableAutomaticRetries()
                    .disableRedirectHandling()
                    .disableCookieManagement()
                    .disableContentCompression()
                    .disableAuthCaching()
                    .disableConnectionState();
        }

        @Override
        public void start() {
            ServiceHelper.startService(hosts);
        }

        @Override
        public void stop() {
            ServiceHelper.stopService(hosts);
        }
    }

    /** Scheme, host and port of a service URL: what its calls' camel-http endpoint is chosen by. */
    static URI host(URI serviceUrl) {
        String authority = serviceUrl.getRawAuthority();
        return URI.create(serviceUrl.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1) + "/");
    }

    /**
     * The camel-http endpoint of a host; each call's own URL goes in {@code CamelHttpUri}, its query in
     * {@code CamelHttpQuery}. Non-2xx answers are returned rather than thrown so the client can read the Azure error
     * body.
     */
    private static String camelUri(URI host) {
        return host + "?throwExceptionOnFailure=false";
    }

    private static <T> T readJson(AzureMlOperation operation, HttpReply reply, Class<T> type) {
        try {
            return JSON.readValue(reply.body(), type);
        } catch (JsonProcessingException e) {
            throw protocolError(operation, reply, "the answer is not the documented JSON (" + e.getOriginalMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw protocolError(operation, reply, "the answer is not the documented JSON (" + e.getMessage() + ")");
        }
    }

    private static AzureMlCallException protocolError(AzureMlOperation operation, HttpReply reply, String what) {
        AzureMlErrorBody.Error error = new AzureMlErrorBody.Error("UnexpectedResponse", what, null);
        return new AzureMlCallException(operation, reply.status(), error, reply.body(), null);
    }

    private static AzureMlErrorBody.Error parseError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            AzureMlErrorBody parsed = JSON.readValue(body, AzureMlErrorBody.class);
            return parsed == null ? null : parsed.error();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code Retry-After} is either delta-seconds or an HTTP date. */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(trimmed));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private record HttpReply(int status, String body) {
    }
}
