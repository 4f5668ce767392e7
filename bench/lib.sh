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
    bench_targets "$@"
    for part in "$@"; do
      if [ -f "bench/results/$part.md" ]; then
        echo
        cat "bench/results/$part.md"
      fi
    done
  } > bench/RESULTS.md
}

# Every row with a target (its last column says whether it was met) from the parts' sections, as one table, then
# bench/notes/summary.md: why each missed target was missed and what would close it.
bench_targets() {
  echo
  echo "## Targets at a glance"
  echo
  echo "Each row is copied from its part's table below (medians; the part's section says how it was measured)."
  echo
  echo "| part | figure | ours | reference | ratio | target | met? |"
  echo "|---|---|---|---|---|---|---|"
  local part
  for part in "$@"; do
    [ -f "bench/results/$part.md" ] || continue
    grep -E '^\|.*\| *(yes|no|NO|\*\*no\*\*) *\|$' "bench/results/$part.md" | sed "s/^|/| $part |/" || true
  done
  if [ -f bench/notes/summary.md ]; then
    echo
    cat bench/notes/summary.md
  fi
}
