package org.camelazureml.retrain.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last N answered requests, oldest first; bounded so a long benchmark does not grow memory. */
final class RequestLog {

    private final int capacity;
    private final Deque<RecordedRequest> entries = new ArrayDeque<>();

    RequestLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(RecordedRequest request) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(request);
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(entries);
    }

    synchronized void clear() {
        entries.clear();
    }
}
