package org.camelazureml.retrain.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** What the benchmark programs share: medians, a process's memory from /proc, child JVMs, the Markdown section. */
final class Bench {

    private Bench() {
    }

    static double median(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.stream().map(Number::doubleValue).toList());
        Collections.sort(sorted);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1 when not readable (not Linux, process gone). */
    static long procStatusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The java launcher of this JVM, for child processes of the same Java version. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * Empties the page cache when allowed (root), so each timed run reads and writes cold for ours and the reference
     * alike. Returns whether it did.
     */
    static boolean dropPageCache() {
        Path control = Path.of("/proc/sys/vm/drop_caches");
        if (!Files.isWritable(control) || "0".equals(System.getenv("BENCH_DROP_CACHES"))
                || "0".equals(System.getProperty("bench.dropCaches"))) {
            return false;
        }
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            Files.writeString(control, "3");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    static void store(Map<String, String> values, Path file) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "benchmark configuration");
        }
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static int intArg(String[] args, String name, int fallback) {
        String value = arg(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static void write(Path file, String markdown) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
    }

    /** One row of a part's table: figure, ours, reference, ratio (ours / reference), target, met. */
    static String row(String figure, String ours, String reference, String ratio, String target, String met) {
        return "| " + String.join(" | ", figure, ours, reference, ratio, target, met) + " |\n";
    }

    static String tableHeader() {
        return "| figure | ours | reference | ratio | target | met? |\n|---|---|---|---|---|---|\n";
    }

    static String yesNo(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String machineNote() {
        return "Machine while measured: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage() + ".";
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
