package org.camelazureml.retrain.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers of the benchmarks: percentiles, medians, and a process's figures from {@code /proc}. */
public final class Stats {

    private Stats() {
    }

    /** The nearest-rank percentile of sorted values; 0 when there are none. */
    public static long percentile(List<Long> sorted, double percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A field of {@code /proc/<pid>/status} such as {@code Threads} or {@code VmHWM} (kB); -1 when gone. */
    public static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU time of a process in milliseconds (from {@code /proc/<pid>/stat}); -1 when gone. */
    public static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14 and stime 15 (1-based over the whole line)
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of a process and all its live descendants (Azurite runs node under npx, for example). */
    public static long treeCpuMillis(long pid) {
        long[] total = {Math.max(0, cpuMillis(pid))};
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants()
                .forEach(child -> total[0] += Math.max(0, cpuMillis(child.pid()))));
        return total[0];
    }
}
