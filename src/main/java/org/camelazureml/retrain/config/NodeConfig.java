package org.camelazureml.retrain.config;

import java.time.Duration;

/**
 * This node's name, recorded as the owner of the runs it makes; and how long a run in flight may go without being
 * saved before another node (sharing a database store) takes it over. A run in flight is saved at least every
 * {@link #heartbeat()}.
 */
public record NodeConfig(String name, Duration takeoverAfter) {

    public Duration heartbeat() {
        return takeoverAfter.dividedBy(5);
    }
}
