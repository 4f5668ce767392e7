package org.camelazureml.retrain.notify;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Sends one run event (exchange property {@value #EVENT}, JSON) to one notification endpoint (the body: its Camel
 * URI), on an exchange of its own. A failure comes back as this processor's own exception, so the notification
 * route's retries apply even when the endpoint is a route of the host whose error handler already gave up.
 */
public class SendNotification implements Processor {

    /** Exchange property holding the event's JSON. */
    public static final String EVENT = "retrainEvent";

    private final ProducerTemplate template;

    public SendNotification(CamelContext camel) {
        this.template = camel.createProducerTemplate();
    }

    @Override
    public void process(Exchange exchange) {
        String uri = exchange.getMessage().getBody(String.class).trim();
        Object status = exchange.getMessage().getHeader(DescribeOutcome.STATUS);
        Exchange sent = template.send(uri, notification -> {
            notification.getMessage().setBody(exchange.getProperty(EVENT, String.class));
            notification.getMessage().setHeader(DescribeOutcome.STATUS, status);
            notification.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });
        if (sent.getException() != null) {
            throw new NotificationFailedException(uri, sent.getException());
        }
    }

    /** A notification endpoint did not take the event. */
    public static class NotificationFailedException extends RuntimeException {
        public NotificationFailedException(String uri, Throwable cause) {
            super("notification to " + uri + " failed: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getName()), cause);
        }
    }
}
