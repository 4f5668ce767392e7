package org.camelazureml.retrain.bench;

import org.apache.camel.main.Main;

/**
 * The start-up reference: a bare camel-main application running one YAML timer route (bench/reference/), nothing
 * else. The jar's own application.properties is not read (it configures the retraining application).
 *
 * <p>Arguments: ROUTE_FILE TICK_URL
 */
public final class BareTimerApp {

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addInitialProperty("bench.tick.url", args[1]);
        main.configure().withRoutesIncludePattern("file:" + args[0]);
        main.run();
    }

    private BareTimerApp() {
    }
}
