# Shared by bench/run and bench/parts/*.sh (source it from the repository root).

BENCH_RUNS="${BENCH_RUNS:-5}"
BENCH_CLASSPATH_FILE=target/bench-classpath.txt

# Builds the runnable jar and the test classes (the benchmarks live in src/test/java/.../bench) once, and writes the
# test classpath for bench_java.
bench_build() {
  if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    [ -d node_modules/azurite ] || npm ci --no-audit --no-fund >&2
    mvn -B -q -DskipTests package >&2
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_CLASSPATH_FILE" >&2
  fi
  export BENCH_SKIP_BUILD=1
}

# Runs a Java main class from the test classpath: bench_java [JVM options...] CLASS [args...]
bench_java() {
  java -cp "target/test-classes:target/classes:$(cat "$BENCH_CLASSPATH_FILE")" "$@"
}

# The machine the figures were measured on, as Markdown.
bench_machine() {
  local mem cpu
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
  echo "- Machine: $(nproc) cores (${cpu:-unknown CPU}), $mem memory, $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- Load average when the suite ended: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench/RESULTS.md: the machine, then each part's section that exists, in the given order.
bench_assemble_results() {
  {
    echo "# Benchmark results"
    echo
    echo "Measured by \`bench/run\` (each part alone: \`bench/run <part>\`) on $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Every figure is a median of at least $BENCH_RUNS runs and is shown beside a reference measured in the same run."
    echo
    bench_machine
    for part in "$@"; do
      if [ -f "bench/results/$part.md" ]; then
        echo
        cat "bench/results/$part.md"
      fi
    done
  } > bench/RESULTS.md
}
