package org.camelazureml.retrain.logging;

import java.util.Map;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback {@code %run}: {@code [pipeline run=<runId> job=<jobId>] } from the MDC the steps set, or nothing for
 * lines that belong to no run.
 */
public class RunContextConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        String pipeline = mdc.get("pipeline");
        if (pipeline == null) {
            return "";
        }
        StringBuilder text = new StringBuilder("[").append(pipeline);
        String runId = mdc.get("runId");
        if (runId != null) {
            text.append(" run=").append(runId);
        }
        String jobId = mdc.get("jobId");
        if (jobId != null) {
            text.append(" job=").append(jobId);
        }
        return text.append("] ").toString();
    }
}
