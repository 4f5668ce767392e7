package org.camelazureml.retrain.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Azure ML Studio (classic) emulator on 127.0.0.1: a training web service (Batch Execution
 * Service: submit, start, status, cancel) that really trains a small linear model from the input
 * blobs and writes the outputs to the client's storage, and a scoring web service whose
 * non-default endpoints can be updated (UpdateResource PATCH), described (GET) and called
 * (Request-Response). Faults can be injected while it runs, see {@link FaultPlan}, and the training
 * service can be made to lose its jobs ({@link #forgetJobs()}). It serves plain HTTP, or HTTPS with
 * {@link Builder#https(SSLContext)}.
 *
 * <pre>{@code
 * try (AzureMlEmulator emu = AzureMlEmulator.builder()
 *         .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("k").build())
 *         .scoringService(ScoringServiceSpec.builder("score-svc").resourceNames("Census Model [trained model]")
 *                 .endpoint("default", "key0", true).endpoint("ep1", "key1", false).build())
 *         .jobDuration(Duration.ofSeconds(2))
 *         .start()) {
 *     String jobsUrl = emu.trainingJobsUrl();
 * }
 * }</pre>
 * The protocol it follows is PROTOCOL.md; where that is silent the choices are documented on the
 * classes that make them. It is independent of the rest of the product by design, so a client bug
 * cannot be mirrored by shared code.
 */
public final class AzureMlEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AzureMlEmulator.class);

    private final String workspace;
    private final TrainingServiceSpec training;
    private final ScoringServiceSpec scoring;
    private final FaultPlan faults;
    private final TrainingJobs jobs;
    private final ScoringEndpoints endpoints;
    private final RequestLog requestLog;
    private final HttpServer server;
    private final ExecutorService requestExecutor;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService jobWorkers;

    private AzureMlEmulator(Builder builder) throws IOException {
        this.workspace = builder.workspace;
        this.training = builder.training;
        this.scoring = builder.scoring;
        this.faults = builder.faults;
        this.requestLog = new RequestLog(builder.requestLogCapacity);
        this.requestExecutor = new ThreadPoolExecutor(builder.requestThreads, builder.requestThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("azureml-emulator-http"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("azureml-emulator-timer"));
        this.jobWorkers = new ThreadPoolExecutor(builder.jobThreads, builder.jobThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("azureml-emulator-job"));
        TrainingRun run = new TrainingRun(training, new BlobStore(builder.allowRemoteStorage), faults, builder.resultSasValidity);
        this.jobs = new TrainingJobs(faults, run, builder.queueTime, builder.jobDuration, scheduler, jobWorkers);
        this.endpoints = new ScoringEndpoints(scoring);
        TrainingApi trainingApi = new TrainingApi(training, jobs, builder.integerStatusCodes);
        ScoringManagementApi management = new ScoringManagementApi(training, scoring, endpoints, new ModelDownloader(),
                builder.allowRemoteStorage);
        ScoringExecutionApi execution = new ScoringExecutionApi(scoring, endpoints);
        Router router = new Router(workspace)
                .add("POST", "/workspaces/{workspace}/services/{service}/jobs", Operation.SUBMIT,
                        Router.Handler.sync(trainingApi::submit))
                .add("POST", "/workspaces/{workspace}/services/{service}/jobs/{job}/start", Operation.START,
                        Router.Handler.sync(trainingApi::start))
                .add("GET", "/workspaces/{workspace}/services/{service}/jobs/{job}", Operation.STATUS,
                        Router.Handler.sync(trainingApi::status))
                .add("DELETE", "/workspaces/{workspace}/services/{service}/jobs/{job}", Operation.CANCEL,
                        Router.Handler.sync(trainingApi::cancel))
                .add("POST", "/workspaces/{workspace}/services/{endpoint}/execute", Operation.EXECUTE,
                        Router.Handler.sync(execution::execute))
                .add("PATCH", "/workspaces/{workspace}/webservices/{webService}/endpoints/{endpoint}", Operation.UPDATE,
                        management::update)
                .add("GET", "/workspaces/{workspace}/webservices/{webService}/endpoints/{endpoint}",
                        Operation.GET_ENDPOINT, Router.Handler.sync(management::describe));
        enableTcpNoDelay();
        keepIdleConnections();
        this.server = createServer(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), builder.port),
                builder.backlog, builder.sslContext);
        server.createContext("/", new EmulatorHttpHandler(router, faults, requestLog, scheduler, requestExecutor));
        server.setExecutor(requestExecutor);
        server.start();
        LOG.info("Azure ML classic emulator listening on {} (workspace {}, training service {}, scoring service {})",
                baseUrl(), workspace, training.name(), scoring.webServiceId());
    }

    private static HttpServer createServer(InetSocketAddress address, int backlog, SSLContext sslContext)
            throws IOException {
        if (sslContext == null) {
            return HttpServer.create(address, backlog);
        }
        HttpsServer https = HttpsServer.create(address, backlog);
        https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        return https;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://127.0.0.1:<port>} when serving TLS. */
    public String baseUrl() {
        return (isHttps() ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** Whether it serves HTTPS, see {@link Builder#https(SSLContext)}. */
    public boolean isHttps() {
        return server instanceof HttpsServer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String workspace() {
        return workspace;
    }

    public TrainingServiceSpec trainingService() {
        return training;
    }

    public ScoringServiceSpec scoringService() {
        return scoring;
    }

    /** The BES jobs URL, without the api-version query: {@code .../workspaces/{ws}/services/{svc}/jobs}. */
    public String trainingJobsUrl() {
        return baseUrl() + "/workspaces/" + workspace + "/services/" + training.name() + "/jobs";
    }

    /** The UpdateResource (PATCH) URL of a scoring endpoint. */
    public String updateResourceUrl(String endpoint) {
        requireEndpoint(endpoint);
        return baseUrl() + "/workspaces/" + workspace + "/webservices/" + scoring.webServiceId() + "/endpoints/" + endpoint;
    }

    /** The Request-Response URL of a scoring endpoint, with {@code ?api-version=2.0}. */
    public String scoringUrl(String endpoint) {
        requireEndpoint(endpoint);
        return baseUrl() + "/workspaces/" + workspace + "/services/" + endpoint + "/execute?api-version="
                + ApiRequest.API_VERSION;
    }

    /** The API key of a scoring endpoint. */
    public String endpointKey(String endpoint) {
        return requireEndpoint(endpoint).apiKey();
    }

    /** The live fault plan: add or clear faults at any time. */
    public FaultPlan faults() {
        return faults;
    }

    /** Every job the training service knows (submitted and not forgotten), oldest first. */
    public List<JobSnapshot> jobs() {
        return jobs.snapshots();
    }

    public Optional<JobSnapshot> job(String id) {
        return jobs.snapshot(id);
    }

    public int submittedJobCount() {
        return jobs.submittedCount();
    }

    /**
     * The training service forgets every job it knows, as if it had lost them: from now on status, start
     * and cancel of those ids answer 404 NotFound, and their pending steps never happen (no status change,
     * no output written that was not already being written). Jobs submitted afterwards work as usual;
     * {@link #submittedJobCount()} still counts the forgotten ones.
     *
     * @return how many jobs were forgotten
     */
    public int forgetJobs() {
        return jobs.forgetAll();
    }

    /** What an endpoint serves for the first updatable resource; empty while it serves the original model. */
    public Optional<ServedModel> servedModel(String endpoint) {
        return servedModel(endpoint, scoring.resourceNames().get(0));
    }

    public Optional<ServedModel> servedModel(String endpoint, String resourceName) {
        requireEndpoint(endpoint);
        return endpoints.served(endpoint, resourceName);
    }

    /**
     * The last requests answered (up to the configured capacity), oldest first. A request is recorded just
     * before its answer goes out or its connection is closed, so a client that has its answer (or has seen
     * the connection close) finds it here.
     */
    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    public void clearRequests() {
        requestLog.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        scheduler.shutdownNow();
        jobWorkers.shutdownNow();
        requestExecutor.shutdownNow();
        LOG.info("Azure ML classic emulator on {} stopped", baseUrl());
    }

    private ScoringServiceSpec.Endpoint requireEndpoint(String endpoint) {
        return scoring.endpoint(endpoint).orElseThrow(() -> new IllegalArgumentException("No scoring endpoint '"
                + endpoint + "'; known: " + scoring.endpoints().stream().map(ScoringServiceSpec.Endpoint::name).toList()));
    }

    /**
     * The JDK server writes headers and body separately; without TCP_NODELAY Nagle's algorithm and
     * delayed ACKs add ~40 ms to small answers on keep-alive connections. The property is read once
     * per JVM, so it is only set if nobody chose otherwise.
     */
    private static void enableTcpNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * The JDK server keeps at most 200 idle keep-alive connections and closes any other as soon as its answer is
     * sent, without a word: a client that reuses such a connection (a thousand runs polling at once do) gets
     * "received no bytes" or a reset, a failure a real service would not cause. Read once per JVM, like the above.
     */
    private static void keepIdleConnections() {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public static final class Builder {
        private int port;
        private String workspace = "emulated-workspace";
        private TrainingServiceSpec training = TrainingServiceSpec.builder("train-svc").build();
        private ScoringServiceSpec scoring = ScoringServiceSpec.builder("score-svc")
                .endpoint("default", null, true).endpoint("ep1", null, false).build();
        private Duration queueTime = Duration.ZERO;
        private Duration jobDuration = Duration.ofSeconds(2);
        private Duration resultSasValidity = Duration.ofHours(1);
        private boolean integerStatusCodes;
        private boolean allowRemoteStorage;
        private SSLContext sslContext;
        private FaultPlan faults = new FaultPlan();
        private int requestThreads = Math.max(8, Math.min(16, 4 * Runtime.getRuntime().availableProcessors()));
        /** Finishing jobs mostly wait on blob I/O, so more threads than cores pay off. */
        private int jobThreads = 8;
        private int backlog = 1024;
        private int requestLogCapacity = 10_000;

        private Builder() {
        }

        /** Port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder workspace(String workspace) {
            this.workspace = Objects.requireNonNull(workspace);
            return this;
        }

        public Builder trainingService(TrainingServiceSpec training) {
            this.training = Objects.requireNonNull(training);
            return this;
        }

        public Builder scoringService(ScoringServiceSpec scoring) {
            this.scoring = Objects.requireNonNull(scoring);
            return this;
        }

        /** How long a started job stays NotStarted (shared capacity, FIFO). Default 0. */
        public Builder queueTime(Duration queueTime) {
            this.queueTime = requireNonNegative(queueTime);
            return this;
        }

        /** How long a job is Running before it trains and finishes. Default 2 s. */
        public Builder jobDuration(Duration jobDuration) {
            this.jobDuration = requireNonNegative(jobDuration);
            return this;
        }

        /** Lifetime of the read-only SAS in a finished job's Results. Default 1 h. */
        public Builder resultSasValidity(Duration validity) {
            this.resultSasValidity = requireNonNegative(validity);
            return this;
        }

        /** Answer StatusCode as 0..4 (the older documented form) instead of strings. */
        public Builder integerStatusCodes(boolean integerStatusCodes) {
            this.integerStatusCodes = integerStatusCodes;
            return this;
        }

        /**
         * Let jobs and updates use storage that is not on 127.0.0.1/localhost (a real account).
         * Off by default: the emulator is for offline use and must not reach the internet by accident.
         */
        public Builder allowRemoteStorage(boolean allow) {
            this.allowRemoteStorage = allow;
            return this;
        }

        /**
         * Serve HTTPS instead of HTTP, with the key and certificate of {@code sslContext} (its key managers);
         * every URL then starts with {@code https://127.0.0.1}. Clients must trust that certificate, and
         * it must be valid for the IP address 127.0.0.1 (a subject alternative name) for hostname checks
         * to pass. Null (the default) serves plain HTTP.
         */
        public Builder https(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /** Faults from a text spec, see {@link FaultPlan}. */
        public Builder faults(String spec) {
            return faults(FaultPlan.parse(spec));
        }

        /** Threads answering requests (bounded; default 8..16 by core count). */
        public Builder requestThreads(int threads) {
            this.requestThreads = requirePositive(threads);
            return this;
        }

        /** Threads running finished jobs' training and blob writes. */
        public Builder jobThreads(int threads) {
            this.jobThreads = requirePositive(threads);
            return this;
        }

        /** How many recent requests {@link #requests()} keeps. */
        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = requirePositive(capacity);
            return this;
        }

        public AzureMlEmulator start() {
            if (scoring.endpoint(training.name()).isPresent()) {
                throw new IllegalArgumentException("A scoring endpoint may not share the training service's name '"
                        + training.name() + "': both live under /services/{name}");
            }
            try {
                return new AzureMlEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the Azure ML emulator on 127.0.0.1:" + port, e);
            }
        }

        private static Duration requireNonNegative(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("Duration must not be negative: " + duration);
            }
            return duration;
        }

        private static int requirePositive(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("Must be at least 1: " + value);
            }
            return value;
        }
    }
}
