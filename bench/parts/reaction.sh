#!/usr/bin/env bash
# Part c: reaction time from the job turning Finished in the emulator to the UpdateResource PATCH, minus the fetch,
# vs a plain blocking polling loop. BENCH_REACTION_RUNS (default 2 x BENCH_RUNS) runs each, 2 s jobs, 1 s polling.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
bench_build
bench_java org.camelazureml.retrain.bench.ReactionBenchmark --runs "${BENCH_REACTION_RUNS:-$((BENCH_RUNS * 2))}" \
  --job-ms 2000 --poll-ms 1000 --out bench/results/reaction.md --work-dir target/bench/reaction
if [ -f bench/notes/reaction.md ]; then { cat bench/notes/reaction.md; echo; } >> bench/results/reaction.md; fi
