package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the fault spec text documented on {@link FaultPlan}. */
final class FaultSpecParser {

    private static final String COUNT = "(?:x(\\d+|\\*))?";
    private static final Pattern STATUS = Pattern.compile("(\\d{3})" + COUNT + "(?:@retry-after=(\\d+))?");
    private static final Pattern NO_ANSWER = Pattern.compile("(drop|lost)" + COUNT);
    private static final Pattern DELAYED = Pattern.compile("(slow|late)=(\\d+)" + COUNT);
    private static final Pattern FAILED_QUOTED = Pattern.compile("failed=\"([^\"]*)\"" + COUNT);
    private static final Pattern FAILED = Pattern.compile("failed=([^\"].*)");
    private static final Pattern STUCK = Pattern.compile("stuck=(NotStarted|Running)" + COUNT);
    private static final Pattern MODEL = Pattern.compile("(missing|empty)" + COUNT);
    private static final Pattern PADDED = Pattern.compile("padded=(\\d+)" + COUNT);

    private FaultSpecParser() {
    }

    static List<Fault> parse(String spec) {
        List<Fault> faults = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return faults;
        }
        for (String rule : splitRules(spec)) {
            if (!rule.isBlank()) {
                faults.add(parseRule(rule.trim()));
            }
        }
        return faults;
    }

    private static Fault parseRule(String rule) {
        int colon = rule.indexOf(':');
        if (colon < 0) {
            throw invalid(rule, "expected TARGET:FAULT");
        }
        String target = rule.substring(0, colon).trim();
        String fault = rule.substring(colon + 1).trim();
        int at = target.indexOf('@');
        String endpoint = at < 0 ? null : target.substring(at + 1).trim();
        String name = at < 0 ? target : target.substring(0, at).trim();
        if (name.equals("job") || name.equals("model")) {
            requireScope(rule, null, endpoint);
            return name.equals("job") ? parseJobFault(rule, fault) : parseModelFault(rule, fault);
        }
        Operation operation = operation(rule, name);
        requireScope(rule, operation, endpoint);
        return parseOperationFault(rule, operation, endpoint, fault);
    }

    /** Only endpoint calls may name an endpoint ({@code update@ep2}), and only one the grammar can carry. */
    private static void requireScope(String rule, Operation operation, String endpoint) {
        try {
            Fault.requireScope(operation, endpoint);
        } catch (IllegalArgumentException e) {
            throw invalid(rule, e.getMessage());
        }
    }

    private static Fault parseOperationFault(String rule, Operation operation, String endpoint, String fault) {
        Matcher m;
        if ((m = STATUS.matcher(fault)).matches()) {
            int status = Integer.parseInt(m.group(1));
            if (status < 400 || status > 599) {
                throw invalid(rule, "the HTTP status must be 400..599");
            }
            Duration retryAfter = m.group(3) == null ? null : Duration.ofSeconds(number(rule, m.group(3)));
            return Fault.httpStatus(operation, endpoint, status, count(rule, m.group(2)), retryAfter);
        }
        if ((m = NO_ANSWER.matcher(fault)).matches()) {
            Fault.Kind kind = m.group(1).equals("drop") ? Fault.Kind.DROP_CONNECTION : Fault.Kind.LOST_ANSWER;
            return Fault.noAnswer(kind, operation, endpoint, count(rule, m.group(2)));
        }
        if ((m = DELAYED.matcher(fault)).matches()) {
            Fault.Kind kind = m.group(1).equals("slow") ? Fault.Kind.DELAY : Fault.Kind.LATE_ANSWER;
            return Fault.delayed(kind, operation, endpoint, Duration.ofMillis(number(rule, m.group(2))),
                    count(rule, m.group(3)));
        }
        throw invalid(rule, "expected STATUS[xN][@retry-after=S], drop[xN], lost[xN], slow=MILLIS[xN] or late=MILLIS[xN]");
    }

    private static Fault parseJobFault(String rule, String fault) {
        Matcher m;
        if ((m = FAILED_QUOTED.matcher(fault)).matches()) {
            return Fault.jobFailed(m.group(1), count(rule, m.group(2)));
        }
        if ((m = FAILED.matcher(fault)).matches()) {
            return Fault.jobFailed(m.group(1).trim(), 1);
        }
        if ((m = STUCK.matcher(fault)).matches()) {
            return Fault.jobStuck(JobStatus.fromWireName(m.group(1)), count(rule, m.group(2)));
        }
        throw invalid(rule, "expected failed=TEXT, failed=\"TEXT\"[xN] or stuck=NotStarted|Running[xN]");
    }

    private static Fault parseModelFault(String rule, String fault) {
        Matcher m;
        if ((m = MODEL.matcher(fault)).matches()) {
            Fault.Kind kind = m.group(1).equals("missing") ? Fault.Kind.MODEL_MISSING : Fault.Kind.MODEL_EMPTY;
            return Fault.model(kind, count(rule, m.group(2)));
        }
        if ((m = PADDED.matcher(fault)).matches()) {
            return Fault.modelPadded(number(rule, m.group(1)), count(rule, m.group(2)));
        }
        throw invalid(rule, "expected missing[xN], empty[xN] or padded=BYTES[xN]");
    }

    private static Operation operation(String rule, String target) {
        try {
            return Operation.fromSpecName(target);
        } catch (IllegalArgumentException e) {
            throw invalid(rule, e.getMessage() + ", job or model");
        }
    }

    /** A run of digits as a long; one too big is a malformed rule, not a NumberFormatException. */
    private static long number(String rule, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalid(rule, digits + " is too large");
        }
    }

    private static int count(String rule, String count) {
        if (count == null) {
            return 1;
        }
        if (count.equals("*")) {
            return Fault.ALWAYS;
        }
        long n = number(rule, count);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw invalid(rule, "a count is at least 1 (x1) and at most " + Integer.MAX_VALUE + ", or x* for always");
        }
        return (int) n;
    }

    /** Splits on commas outside double quotes. */
    private static List<String> splitRules(String spec) {
        List<String> rules = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : spec.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                rules.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw invalid(spec, "unbalanced double quote");
        }
        rules.add(current.toString());
        return rules;
    }

    private static IllegalArgumentException invalid(String rule, String why) {
        return new IllegalArgumentException("Invalid fault rule '" + rule + "': " + why
                + " (see FaultPlan for the grammar)");
    }
}
