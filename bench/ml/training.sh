#!/usr/bin/env bash
# Training throughput of the platform's trainer (in process, no HTTP or queue) against the minimal DJL loop
# (io.modelyard.ml.MinimalTrainingLoop) on the same network, data, batch size and threads, each in its own JVM,
# run alternately. Prints both and their ratio.
#   bench/ml/training.sh [threads=2] [rounds=1] [key=value ...]   (samples, epochs, batch, length, vocabulary,
#                                                                   width, architecture)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=2
rounds=1
args=()
for a in "$@"; do
  case "$a" in
    threads=*) threads="${a#threads=}" ;;
    rounds=*) rounds="${a#rounds=}" ;;
    *) args+=("$a") ;;
  esac
done
./mvnw -q -B test-compile -Pbench
cp_file=target/bench-ml-classpath.txt
[ -s "$cp_file" ] || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
cp="target/test-classes:target/classes:$(cat "$cp_file")"
# a pre-touched fixed heap: RSS growth during training is then native memory, not the heap being touched
jvm=(java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp")
rate() { grep "^$1=" | cut -d= -f2; }
for r in $(seq 1 "$rounds"); do
  bare_out=$("${jvm[@]}" io.modelyard.ml.MinimalTrainingLoop "${args[@]+"${args[@]}"}" 2>/dev/null)
  engine_out=$("${jvm[@]}" io.modelyard.ml.EngineTrainingRun "${args[@]+"${args[@]}"}" 2>/dev/null)
  echo "--- round $r"
  echo "$bare_out"
  echo "$engine_out"
  for metric in samples_per_s samples_per_thread_cpu_s; do
    bare=$(echo "$bare_out" | rate "$metric")
    engine=$(echo "$engine_out" | rate "$metric")
    awk -v m="$metric" -v b="$bare" -v e="$engine" 'BEGIN { printf "ratio_engine_over_minimal(%s)=%.3f\n", m, e / b }'
  done
done
