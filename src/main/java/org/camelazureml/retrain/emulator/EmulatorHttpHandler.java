package org.camelazureml.retrain.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.camelazureml.retrain.config.Redaction;

/**
 * Every request goes through here: route, then an injected fault if one is due (status, dropped
 * connection or delay), then the operation's handler. Answers may complete later on another
 * thread (delays are scheduled, model downloads are asynchronous): no request thread waits.
 */
final class EmulatorHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHttpHandler.class);

    private final Router router;
    private final FaultPlan faults;
    private final RequestLog log;
    private final ScheduledExecutorService scheduler;
    private final Executor requestExecutor;

    EmulatorHttpHandler(Router router, FaultPlan faults, RequestLog log, ScheduledExecutorService scheduler,
                        Executor requestExecutor) {
        this.router = router;
        this.faults = faults;
        this.log = log;
        this.scheduler = scheduler;
        this.requestExecutor = requestExecutor;
    }

    @Override
    public void handle(HttpExchange exchange) {
        Instant arrived = Instant.now();
        long started = System.nanoTime();
        Operation operation = null;
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            Router.Match match = router.match(exchange.getRequestMethod(), uri.getPath());
            operation = match.route().operation();
            ApiRequest request = new ApiRequest(exchange.getRequestMethod(), uri.getPath(),
                    ApiRequest.parseQuery(uri.getRawQuery()), exchange.getRequestHeaders(), body, match.params());
            Optional<Fault> fault = faults.takeHttpFault(operation);
            if (fault.isEmpty()) {
                process(exchange, match, request, arrived, started);
                return;
            }
            switch (fault.get().kind()) {
                case DROP_CONNECTION -> drop(exchange, operation, arrived, started);
                case HTTP_STATUS -> send(exchange, operation,
                        ApiError.injected(fault.get().httpStatus(), fault.get().retryAfter()).toResponse(), arrived, started);
                case DELAY -> delayThenProcess(exchange, match, request, fault.get().delay(), arrived, started);
                default -> throw new IllegalStateException("not an HTTP fault: " + fault.get());
            }
        } catch (ApiError error) {
            send(exchange, operation, error.toResponse(), arrived, started);
        } catch (IOException | RuntimeException e) {
            logUnexpected(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            send(exchange, operation, ApiError.internal(e.getClass().getSimpleName()).toResponse(), arrived, started);
        }
    }

    private void delayThenProcess(HttpExchange exchange, Router.Match match, ApiRequest request, Duration delay,
                                  Instant arrived, long started) {
        Runnable process = () -> process(exchange, match, request, arrived, started);
        try {
            scheduler.schedule(() -> requestExecutor.execute(process), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            exchange.close();
        }
    }

    private void process(HttpExchange exchange, Router.Match match, ApiRequest request, Instant arrived, long started) {
        Operation operation = match.route().operation();
        CompletableFuture<ApiResponse> answer;
        try {
            answer = match.route().handler().handle(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) ->
                send(exchange, operation, response != null ? response : toResponse(error, request), arrived, started));
    }

    private static ApiResponse toResponse(Throwable error, ApiRequest request) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiError apiError) {
            return apiError.toResponse();
        }
        logUnexpected(request.method(), request.path(), cause);
        return ApiError.internal(cause.getClass().getSimpleName()).toResponse();
    }

    /** A bug in the emulator: logged with its text redacted, the stack trace only at debug level. */
    private static void logUnexpected(String method, String path, Throwable error) {
        LOG.warn("Emulator failed on {} {}: {}", method, path, Redaction.redact(String.valueOf(error)));
        LOG.debug("Emulator failure", error);
    }

    private void send(HttpExchange exchange, Operation operation, ApiResponse response, Instant arrived, long started) {
        try (OutputStream out = exchange.getResponseBody()) {
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            out.write(response.body());
        } catch (IOException clientGone) {
            LOG.debug("Client went away before the answer to {} {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath());
        } finally {
            exchange.close();
            record(exchange, operation, response.status(), arrived, started);
        }
    }

    /** Closes the connection without an answer (HttpExchange.close before any header closes the socket). */
    private void drop(HttpExchange exchange, Operation operation, Instant arrived, long started) {
        exchange.close();
        record(exchange, operation, 0, arrived, started);
    }

    private void record(HttpExchange exchange, Operation operation, int status, Instant arrived, long started) {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + Redaction.redact(uri.getRawQuery()));
        log.record(new RecordedRequest(arrived, exchange.getRequestMethod(), path, operation, status,
                Duration.ofNanos(System.nanoTime() - started)));
    }
}
