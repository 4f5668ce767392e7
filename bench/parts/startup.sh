#!/usr/bin/env bash
# Part d: start-up of `java -jar target/camel-azureml-retrain.jar --once` to the first BES submit, and idle RSS, vs a
# bare camel-main application with a YAML timer route (bench/reference/) from the same jar.
# BENCH_STARTUP_JVM_OPTIONS adds JVM options to both (e.g. "-XX:TieredStopAtLevel=1").
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
bench_build
bench_java org.camelazureml.retrain.bench.StartupBenchmark --runs "$BENCH_RUNS" --jar target/camel-azureml-retrain.jar \
  --idle-seconds 5 --jvm-options "${BENCH_STARTUP_JVM_OPTIONS:-}" --out bench/results/startup.md \
  --work-dir target/bench/startup
if [ -f bench/notes/startup.md ]; then { cat bench/notes/startup.md; echo; } >> bench/results/startup.md; fi
