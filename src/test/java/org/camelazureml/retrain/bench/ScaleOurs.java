package org.camelazureml.retrain.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.steps.RunStep;

/**
 * "Ours" in the scale benchmark: the real application (camel-main, the packaged route file) in this JVM with one named
 * pipeline per scoring endpoint, every pipeline's route made from the template. Once started, one run of every
 * pipeline is sent into {@code direct:retrain-<pipeline>} at once (asynchronously: the sender does not wait), and
 * the time from the first send to the last completion is measured. Status-call latency is taken from Camel's
 * exchange-sent events of the status calls, as the pipeline sees it.
 * Arguments: properties file (from {@link ScaleEmulator}), pipelines, data directory. Prints one
 * {@code RUN <pipeline> <status> <sha256>} line per run and then {@code RESULT ...}.
 */
public final class ScaleOurs {

    private ScaleOurs() {
    }

    public static void main(String[] args) throws Exception {
        Path properties = Path.of(args[0]);
        int pipelines = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        RetrainRuntime runtime = new RetrainRuntime(properties, null)
                .withProperty("retrain.data.dir", dataDir.toString())
                .withProperty("retrain.archive.dir", dataDir.resolve("models").toString())
                .withProperty("retrain.node.name", "bench");
        Thread main = new Thread(() -> {
            try {
                runtime.runScheduled();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bench-main");
        main.setDaemon(true);
        main.start();
        CamelContext camel = awaitStarted(runtime);
        List<Long> statusMicros = Collections.synchronizedList(new ArrayList<>());
        camel.getManagementStrategy().addEventNotifier(new StatusCallTimer(statusMicros));
        // decided at start-up when no notifier was there yet
        camel.getCamelContextExtension().setEventNotificationApplicable(true);
        ThreadCensus census = new ThreadCensus();
        census.start();

        Map<String, String> outcomes = new ConcurrentHashMap<>();
        List<RetrainRun> finished = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(pipelines);
        List<AsyncProducer> producers = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < pipelines; i++) {
            Endpoint endpoint = camel.getEndpoint("direct:retrain-" + ScaleEmulator.pipeline(i));
            AsyncProducer producer = endpoint.createAsyncProducer();
            producer.start();
            endpoints.add(endpoint);
            producers.add(producer);
        }
        long cpuAtStart = Stats.cpuMillis(ProcessHandle.current().pid());
        java.time.Instant startedAt = java.time.Instant.now();
        long start = System.nanoTime();
        for (int i = 0; i < pipelines; i++) {
            String pipeline = ScaleEmulator.pipeline(i);
            Exchange exchange = endpoints.get(i).createExchange(ExchangePattern.InOut);
            producers.get(i).process(exchange, doneSync -> {
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                RetrainRun run = exchange.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
                String sha = run == null || run.model("output1") == null ? "-" : run.model("output1").sha256();
                outcomes.put(pipeline, (run == null ? "NONE" : run.getStatus()) + " " + sha);
                if (run != null) {
                    finished.add(run);
                }
                done.countDown();
            });
        }
        long sent = System.nanoTime();
        boolean all = done.await(10, TimeUnit.MINUTES);
        long windowCpu = Stats.cpuMillis(ProcessHandle.current().pid()) - cpuAtStart;
        long peakThreads = ManagementFactory.getThreadMXBean().getPeakThreadCount();
        long hwm = Stats.procStatus(ProcessHandle.current().pid(), "VmHWM");
        List<Long> sorted = new ArrayList<>(statusMicros);
        sorted.sort(null);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        new TreeMap<>(outcomes).forEach((pipeline, outcome) -> out.println("RUN " + pipeline + " " + outcome));
        long succeeded = outcomes.values().stream().filter(outcome -> outcome.startsWith("SUCCEEDED ")).count();
        out.println("RESULT wallMs=" + (all ? (lastEnd.get() - start) / 1_000_000 : -1) + " succeeded=" + succeeded
                + " triggerMs=" + (sent - start) / 1_000_000 + " statusCalls=" + sorted.size()
                + " statusP50us=" + Stats.percentile(sorted, 50) + " statusP99us=" + Stats.percentile(sorted, 99)
                + " peakThreads=" + peakThreads + " vmHwmKb=" + hwm + " windowCpuMs=" + windowCpu
                + phases(startedAt, finished));
        out.println("CENSUS " + census.atPeak);
        census.report();
        runtime.main().stop();
        System.exit(0);
    }

    /**
     * Where the wall time went, from the run records: when the last run had its job started (the start-up burst:
     * create, submit, start of every run), status calls per run, and from the poll that saw Finished to the run's
     * end (fetch, update, records).
     */
    private static String phases(java.time.Instant trigger, List<RetrainRun> runs) {
        List<Long> started = new ArrayList<>();
        List<Long> tail = new ArrayList<>();
        List<Long> polls = new ArrayList<>();
        synchronized (runs) {
            for (RetrainRun run : runs) {
                if (run.getStartedAt() != null) {
                    started.add(java.time.Duration.between(trigger, run.getStartedAt()).toMillis());
                }
                if (run.getJobEndedAt() != null && run.getFinishedAt() != null) {
                    tail.add(java.time.Duration.between(run.getJobEndedAt(), run.getFinishedAt()).toMillis());
                }
                polls.add((long) run.getPollCount());
            }
        }
        started.sort(null);
        tail.sort(null);
        polls.sort(null);
        return " lastJobStartedMs=" + (started.isEmpty() ? -1 : started.get(started.size() - 1))
                + " tailP50Ms=" + Stats.percentile(tail, 50) + " pollsP50=" + Stats.percentile(polls, 50);
    }

    private static CamelContext awaitStarted(RetrainRuntime runtime) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            CamelContext camel = runtime.main().getCamelContext();
            if (camel != null && camel.isStarted()) {
                return camel;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the application did not start within 5 minutes");
    }

    /** Logs (stderr) the threads by name, without numbers, whenever the live count reaches a new high. */
    private static final class ThreadCensus extends Thread {
        private volatile String atPeak = "";
        private int peak;

        ThreadCensus() {
            super("bench-thread-census");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                int live = (int) Stats.procStatus(ProcessHandle.current().pid(), "Threads");
                if (live > peak) {
                    peak = live;
                    Map<String, Integer> names = new TreeMap<>();
                    // every thread of the process, the JVM's own (GC, compiler) included
                    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                        tasks.forEach(task -> {
                            try {
                                names.merge(java.nio.file.Files.readString(task.resolve("comm")).trim()
                                        .replaceAll("[0-9]+", "#"), 1, Integer::sum);
                            } catch (java.io.IOException gone) {
                                // the thread ended meanwhile
                            }
                        });
                    } catch (java.io.IOException e) {
                        names.put("(cannot list /proc/self/task)", 0);
                    }
                    atPeak = live + " threads: " + names;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void report() {
            System.err.println("[bench] threads at the peak of the run: " + atPeak);
        }
    }

    /** Times each status call ({@code GET .../jobs/{id}}) the pipeline sends, from Camel's exchange-sent events. */
    private static final class StatusCallTimer extends EventNotifierSupport {
        /** {@code .../jobs/{id}}, not {@code .../jobs/{id}/start} nor {@code .../jobs}. */
        static boolean isJobStatus(String uri) {
            int jobs = uri.lastIndexOf("/jobs/");
            return jobs >= 0 && jobs + 6 < uri.length() && uri.indexOf('/', jobs + 6) < 0;
        }

        private static final String SENT_AT = "benchStatusCallSentAt";
        private final List<Long> micros;

        StatusCallTimer(List<Long> micros) {
            this.micros = micros;
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeFailedEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeSendingEvent sending
                    && sending.getEndpoint().getEndpointUri().startsWith("http")) {
                // cheap tests: this runs on every call of the measured process (no type conversion, no regex)
                Exchange exchange = sending.getExchange();
                Object method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD);
                Object uri = exchange.getMessage().getHeader(Exchange.HTTP_URI);
                if (method != null && "GET".equals(method.toString()) && uri != null && isJobStatus(uri.toString())) {
                    exchange.setProperty(SENT_AT, System.nanoTime());
                }
            } else if (event instanceof CamelEvent.ExchangeSentEvent sent) {
                Long at = sent.getExchange().getProperty(SENT_AT, Long.class);
                if (at != null) {
                    micros.add((System.nanoTime() - at) / 1000);
                }
            }
        }
    }
}
