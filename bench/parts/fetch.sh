#!/usr/bin/env bash
# Part a: model fetch of a 1 GiB .ilearner from Azurite by the real fetch step (default heap and -Xmx64m), vs curl
# through a SAS URL to the same disk. BENCH_FETCH_MIB changes the size (default 1024); BENCH_FETCH_SETTLE_MS the pause
# after emptying the page cache before each timed contender (default 5000).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
bench_build
bench_java org.camelazureml.retrain.bench.FetchBenchmark --size-mib "${BENCH_FETCH_MIB:-1024}" --runs "$BENCH_RUNS" \
  --out bench/results/fetch.md --work-dir target/bench/fetch
if [ -f bench/notes/fetch.md ]; then { cat bench/notes/fetch.md; echo; } >> bench/results/fetch.md; fi
