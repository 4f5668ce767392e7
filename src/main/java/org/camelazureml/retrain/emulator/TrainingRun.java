package org.camelazureml.retrain.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a training job does while it runs: reads the input blobs, fits the model on 80% of the rows,
 * evaluates it on the other 20% ({@link #train}), then writes each output (model or metrics) in
 * output-port order and reports where they are ({@link #writeOutputs}). Each trained model output gets the model as a document that
 * records its port, so two model outputs are two different blobs; each model write takes a model
 * fault if one is due, so a one-shot fault hits the first model written.
 */
final class TrainingRun {

    /** Parsed inputs kept (see {@link #recentlyParsed}). */
    private static final int PARSED_KEPT = 8;
    /** Inputs larger than this are parsed every time, so the cache stays small. */
    private static final int PARSED_MAX_CHARS = 1 << 20;

    private final TrainingServiceSpec service;
    private final BlobStore blobs;
    private final FaultPlan faults;
    private final Duration sasValidity;
    /**
     * The last few inputs parsed, by their exact text and separator. Every job still reads its input blobs; only the
     * parsing of a text seen a moment ago is skipped. A thousand jobs training on one input (the scale benchmark)
     * otherwise parse it a thousand times, and that parsing was most of the emulator's CPU time, on the 2 cores it
     * shares with the process being measured (a real service trains on its own machines).
     */
    private final Map<String, Dataset> recentlyParsed = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Dataset> eldest) {
                    return size() > PARSED_KEPT;
                }
            });

    TrainingRun(TrainingServiceSpec service, BlobStore blobs, FaultPlan faults, Duration sasValidity) {
        this.service = service;
        this.blobs = blobs;
        this.faults = faults;
        this.sasValidity = sasValidity;
    }

    /** What training produced, before anything is written. */
    record Trained(LinearModel model, RegressionMetrics metrics) {
    }

    /** Reads the inputs and fits the model; writes nothing. */
    Trained train(JobRequest request) throws JobFailure {
        Dataset data = readInputs(request);
        LinearModel model = RidgeRegression.fit(data);
        return new Trained(model, RegressionMetrics.evaluate(model, data));
    }

    /**
     * Writes each output in output-port order.
     *
     * @param cancelled checked before each write, so a job cancelled meanwhile writes nothing more
     * @return the Results (port to location), or empty if the job was cancelled meanwhile
     */
    Optional<Map<String, ResultLocation>> writeOutputs(JobRequest request, Trained trained, BooleanSupplier cancelled)
            throws JobFailure {
        Map<String, ResultLocation> results = new LinkedHashMap<>();
        for (Map.Entry<String, BlobReference> output : request.outputs().entrySet()) {
            if (cancelled.getAsBoolean()) {
                return Optional.empty();
            }
            String port = output.getKey();
            BlobReference reference = output.getValue();
            String what = "Output '" + port + "'";
            if (service.isTrainedModelPort(port)) {
                writeModel(reference, trained.model().toIlearner(port), what);
            } else {
                blobs.write(reference, trained.metrics().render(reference.extension()), what);
            }
            results.put(port, blobs.locate(reference, sasValidity, what));
        }
        return Optional.of(results);
    }

    /** The model blob, unless a model fault says to leave it out, write it empty or pad it. */
    private void writeModel(BlobReference reference, byte[] document, String what) throws JobFailure {
        Optional<Fault> fault = faults.takeModelFault();
        if (fault.isEmpty()) {
            blobs.write(reference, document, what);
            return;
        }
        switch (fault.get().kind()) {
            case MODEL_MISSING -> { }
            case MODEL_EMPTY -> blobs.write(reference, new byte[0], what);
            case MODEL_PADDED -> blobs.writePadded(reference, document, fault.get().paddingBytes(), LinearModel.PADDING,
                    what);
            default -> throw new IllegalStateException("not a model fault: " + fault.get());
        }
    }

    /** All inputs, in port order, must share one header; their rows are concatenated. */
    private Dataset parse(String text, char separator) {
        if (text.length() > PARSED_MAX_CHARS) {
            return Dataset.parse(text, separator);
        }
        String key = separator + text;
        Dataset data = recentlyParsed.get(key);
        if (data == null) {
            data = Dataset.parse(text, separator);
            recentlyParsed.put(key, data);
        }
        return data;
    }

    private Dataset readInputs(JobRequest request) throws JobFailure {
        Dataset combined = null;
        for (String port : service.inputPorts()) {
            BlobReference reference = request.inputs().get(port);
            String what = "Input '" + port + "'";
            String text = new String(blobs.read(reference, what), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            Dataset data;
            try {
                data = parse(text, reference.extension().equals(".tsv") ? '\t' : ',');
            } catch (IllegalArgumentException e) {
                throw new JobFailure(what + " (" + reference.relativeLocation() + ") is not usable training data: "
                        + e.getMessage());
            }
            if (combined == null) {
                combined = data;
            } else if (!combined.header().equals(data.header())) {
                throw new JobFailure(what + " has columns " + data.header() + "; the first input has "
                        + combined.header() + ". All inputs must have the same columns.");
            } else {
                List<double[]> rows = new ArrayList<>(combined.rows());
                rows.addAll(data.rows());
                combined = new Dataset(combined.header(), rows);
            }
        }
        return combined;
    }
}
