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
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.camelazureml.retrain.config.Redaction;

/**
 * Every request goes through here: route, then an injected fault if one is due, then the
 * operation's handler. Faults either replace the call (a status, a dropped connection), wait before
 * it (slow), or change what happens to its answer (late: held back, lost: never sent). Answers may
 * complete later on another thread (delays are scheduled, model downloads are asynchronous): no
 * request thread waits.
 */
final class EmulatorHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHttpHandler.class);

    /** One exchange and what the request log needs about it. */
    private record Call(HttpExchange exchange, Operation operation, Instant arrived, long started) {

        Call routed(Operation matched) {
            return new Call(exchange, matched, arrived, started);
        }

        long elapsedNanos() {
            return System.nanoTime() - started;
        }
    }

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
        Call call = new Call(exchange, null, Instant.now(), System.nanoTime());
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            Router.Match match = router.match(exchange.getRequestMethod(), uri.getPath());
            call = call.routed(match.route().operation());
            ApiRequest request = new ApiRequest(exchange.getRequestMethod(), uri.getPath(),
                    ApiRequest.parseQuery(uri.getRawQuery()), exchange.getRequestHeaders(), body, match.params());
            dispatch(call, match, request, faults.takeHttpFault(call.operation(), match.endpoint()));
        } catch (ApiError error) {
            send(call, error.toResponse());
        } catch (IOException | RuntimeException e) {
            logUnexpected(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            send(call, ApiError.internal(e.getClass().getSimpleName()).toResponse());
        }
    }

    private void dispatch(Call call, Router.Match match, ApiRequest request, Optional<Fault> due) {
        if (due.isEmpty()) {
            process(match, request, response -> send(call, response));
            return;
        }
        Fault fault = due.get();
        switch (fault.kind()) {
            case HTTP_STATUS -> send(call, ApiError.injected(fault.httpStatus(), fault.retryAfter()).toResponse());
            case DROP_CONNECTION -> drop(call);
            case LOST_ANSWER -> process(match, request, unsent -> drop(call));
            case DELAY -> later(call, nanos(fault.delay()),
                    () -> process(match, request, response -> send(call, response)));
            // the delay counts from arrival: the answer leaves MILLIS after the request came, or when ready if later
            case LATE_ANSWER -> process(match, request, response ->
                    later(call, nanos(fault.delay()) - call.elapsedNanos(), () -> send(call, response)));
            default -> throw new IllegalStateException("not an HTTP fault: " + fault);
        }
    }

    /** Runs {@code task} on a request thread after {@code delayNanos}; if the emulator is closing, hangs up instead. */
    private void later(Call call, long delayNanos, Runnable task) {
        Runnable onRequestThread = () -> {
            try {
                requestExecutor.execute(task);
            } catch (RejectedExecutionException closing) {
                call.exchange().close();
            }
        };
        try {
            scheduler.schedule(onRequestThread, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            call.exchange().close();
        }
    }

    /** Runs the operation (its effect happens here) and hands the answer, or the error's answer, to {@code reply}. */
    private static void process(Router.Match match, ApiRequest request, Consumer<ApiResponse> reply) {
        CompletableFuture<ApiResponse> answer;
        try {
            answer = match.route().handler().handle(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> reply.accept(response != null ? response : toResponse(error, request)));
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

    /** Recorded first, so a client that has its answer finds it in the request log. */
    private void send(Call call, ApiResponse response) {
        record(call, response.status());
        HttpExchange exchange = call.exchange();
        try (OutputStream out = exchange.getResponseBody()) {
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            out.write(response.body());
        } catch (IOException clientGone) {
            LOG.debug("Client went away before the answer to {} {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath());
        } finally {
            exchange.close();
        }
    }

    /**
     * Closes the connection without an answer (HttpExchange.close before any header closes the socket);
     * recorded first, as {@link #send} does.
     */
    private void drop(Call call) {
        record(call, 0);
        call.exchange().close();
    }

    private void record(Call call, int status) {
        HttpExchange exchange = call.exchange();
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + Redaction.redact(uri.getRawQuery()));
        log.record(new RecordedRequest(call.arrived(), exchange.getRequestMethod(), path, call.operation(), status,
                Duration.ofNanos(call.elapsedNanos())));
    }

    /** A delay in nanoseconds, saturated: a delay of centuries is simply never. */
    private static long nanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
