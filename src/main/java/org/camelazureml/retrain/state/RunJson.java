package org.camelazureml.retrain.state;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON form of a run record, shared by every store and by {@code --json} output. */
public final class RunJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RunJson() {
    }

    public static byte[] write(RetrainRun run) {
        try {
            return JSON.writeValueAsBytes(run);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run " + run.getRunId(), e);
        }
    }

    /** One value (an Instant, a name) as a record writes it: for stores that change a field inside stored JSON. */
    static String writeValue(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    /** Any value (runs, lists, history) in the same JSON form, for {@code --json} output. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static RetrainRun read(byte[] json) throws IOException {
        return JSON.readValue(json, RetrainRun.class);
    }

    /** Builds the run record's serialiser and deserialiser (start-up warm-up: the first run then finds them ready). */
    public static void warmUp() throws IOException {
        read(write(new RetrainRun("warm-up", "warm-up", java.time.Instant.EPOCH)));
    }
}
