#!/usr/bin/env bash
# Part "scale" (issue 4 b and 3): 1,000 runs in flight in one JVM through the real routes vs a thread-per-run
# blocking poller, against the emulator and Azurite in a process of their own; the emulator's own overhead.
# BENCH_RUNS rounds (default 5); BENCH_SCALE_PIPELINES (1000), BENCH_SCALE_JOB_MS (30000), BENCH_SCALE_POLL_MS
# (1000) and BENCH_SCALE_JVM (JVM options of both measured processes, default -Xmx256m -Dreactor.netty.ioWorkerCount=2) change the size.
# To profile one process only (ours, reference, warm-up, emulator): bench_java -Dbench.scale.ours.jvm="-XX:StartFlightRecording=filename=ours.jfr,settings=profile"
# org.camelazureml.retrain.bench.ScaleBench ...; to render the report again from an earlier run's stderr log (its Measure
# lines), without measuring: ScaleBench --measures <log> with the same --pipelines/--job/--poll/--runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
bench_build

pipelines="${BENCH_SCALE_PIPELINES:-1000}"
job_ms="${BENCH_SCALE_JOB_MS:-30000}"
poll_ms="${BENCH_SCALE_POLL_MS:-1000}"
jvm="${BENCH_SCALE_JVM:--Xmx256m -Dreactor.netty.ioWorkerCount=2}"
mkdir -p bench/results
bench_java org.camelazureml.retrain.bench.ScaleBench --pipelines "$pipelines" --job "$job_ms" --poll "$poll_ms" \
  --runs "$BENCH_RUNS" --jvm "$jvm" --out bench/results/scale.md \
  --command "BENCH_RUNS=$BENCH_RUNS bench/run scale" >/dev/null
if [ -f bench/notes/scale.md ]; then { cat bench/notes/scale.md; echo; } >> bench/results/scale.md; fi
echo "bench/results/scale.md written" >&2
