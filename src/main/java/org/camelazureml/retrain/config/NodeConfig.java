package org.camelazureml.retrain.config;

import java.time.Duration;

/**
 * This node's name, recorded as the owner of the runs it makes; and how long a run in flight may go without being
 * saved before another node (sharing a database store) takes it over. A run in flight is saved at least every
 * {@link #heartbeat()}. {@code workerThreads} is the size of the one thread pool that carries every run in flight
 * between its waits (polls, retries, fetch and update); a waiting run holds none.
 */
public record NodeConfig(String name, Duration takeoverAfter, int workerThreads) {

    public Duration heartbeat() {
        return takeoverAfter.dividedBy(5);
    }
}
