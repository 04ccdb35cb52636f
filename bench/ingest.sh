#!/usr/bin/env bash
# Dataset ingest through HTTP against a bare CSV parse of the same file, same machine, same run.
#
# Generates a ~1,000,000-row (~100 MB) text-classification CSV (TextDatasetGenerator, test sources), starts the
# platform (role api) with -Xmx256m and GC logging, and uploads the file with curl as a streamed raw body
# (POST /v1/datasets, text/csv): the request returns once the upload is stored, validated, cleaned, profiled,
# split and the version stored and recorded. Each round also times BareCsvParseBaseline (the platform's CSV
# parser decoding every field, nothing else) on the same file in its own JVM. Rounds alternate, so machine noise
# hits both; the ratio is the best upload's MB/s over the best bare parse's MB/s.
#
# Heap: the peak of used heap in the platform's GC log during the uploads (before and after each collection;
# bounded by -Xmx256m, so an upload that needed more would have failed), and the peak live heap (after GC).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-4}"
ROWS="${ROWS:-1000000}"
HEAP="${HEAP:-256m}"

WORK="$(mktemp -d -t modelyard-ingest-XXXX)"
CSV="$WORK/reviews.csv"
GC_LOG="$WORK/gc.log"
trap 'rm -rf "$WORK"' EXIT

ensure_jar
cd "$REPO_DIR"
if [ ! -f target/test-classes/io/modelyard/dataset/TextDatasetGenerator.class ] || [ -n "${BENCH_REBUILD:-}" ]; then
  log "Compiling the benchmark helpers (test sources)"
  ./mvnw -q -B test-compile -Pbench
fi
unset BENCH_REBUILD # built once; start_platform need not build again
if [ ! -s target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"

log "Generating $ROWS rows"
java -cp "$CP" io.modelyard.dataset.TextDatasetGenerator "$CSV" "$ROWS" 42 >&2
BYTES="$(stat -c %s "$CSV")"

# shellcheck disable=SC2086 # PLATFORM_OPTS: extra JVM options, word-split on purpose
start_platform api -Xmx"$HEAP" -Xlog:gc:file="$GC_LOG" \
  -Dmodelyard.storage.dir="$WORK/blobs" -Dmodelyard.datasets.work-dir="$WORK/work" ${PLATFORM_OPTS:-}
trap 'kill $BENCH_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
KEY="$(new_tenant_key '["datasets:write","read"]')"
[ -n "$KEY" ] || die "could not create an API key"

bare_run() { # prints MB/s of the bare parse (best of 2 passes in one JVM: the second is warm)
  java -cp "$CP" io.modelyard.dataset.BareCsvParseBaseline "$CSV" 2 | sed -n 's/^mb_per_s=//p'
}

upload_run() { # prints "MB/s seconds rows" of one upload, and deletes the dataset it made
  local out status seconds id
  out="$(curl -sS -o "$WORK/response.json" -w '%{http_code} %{time_total}' -X POST -T "$CSV" -H 'Expect:' \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' \
    "$BENCH_URL/v1/datasets?task=text_classification&name=bench")"
  read -r status seconds <<<"$out"
  [ "$status" = "201" ] || die "upload answered $status: $(head -c 2000 "$WORK/response.json")"
  id="$(grep -o '"id":"ds_[^"]*"' "$WORK/response.json" | head -n1 | cut -d'"' -f4)"
  rows_out="$(grep -o '"row_count":[0-9]*' "$WORK/response.json" | head -n1 | cut -d: -f2)"
  curl -fsS -X DELETE -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/datasets/$id" >/dev/null
  awk -v b="$BYTES" -v s="$seconds" -v r="$rows_out" 'BEGIN {printf "%.2f %.2f %s\n", b / 1e6 / s, s, r}'
}

log "Warming up (one unmeasured upload and parse)"
bare_run >/dev/null
upload_run >/dev/null
bare=(); platform=(); ratios=()
GC_FROM="$(wc -l <"$GC_LOG")"
for ((round = 1; round <= ROUNDS; round++)); do
  b="$(bare_run)"
  read -r p seconds rows_out < <(upload_run)
  bare+=("$b"); platform+=("$p")
  ratios+=("$(awk -v p="$p" -v b="$b" 'BEGIN {printf "%.3f", p / b}')")
  log "round $round: bare parse $b MB/s, upload through HTTP $p MB/s (${seconds}s, $rows_out rows kept), ratio ${ratios[-1]}"
done
GC_TO="$(wc -l <"$GC_LOG")"

best() { sort -g | tail -n1; }
BARE="$(printf '%s\n' "${bare[@]}" | best)"
PLATFORM="$(printf '%s\n' "${platform[@]}" | best)"
MEDIAN_RATIO="$(printf '%s\n' "${ratios[@]}" | median)"
# "Pause Young (Normal) (G1 Evacuation Pause) 150M->40M(256M)": used before -> after (committed).
read -r PEAK_USED PEAK_LIVE GCS < <(sed -n "$((GC_FROM + 1)),${GC_TO}p" "$GC_LOG" \
  | grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' \
  | awk -F'[M>(-]+' '{ if ($1 > u) u = $1; if ($2 > u) u = $2; if ($2 > l) l = $2; n++ } END {print u + 0, l + 0, n + 0}')
echo "file_bytes=$BYTES rows=$ROWS bare_mb_per_s=$BARE platform_mb_per_s=$PLATFORM median_round_ratio=$MEDIAN_RATIO"
echo "heap: max=$HEAP collections_during_uploads=$GCS peak_used_mb=$PEAK_USED peak_live_after_gc_mb=$PEAK_LIVE"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
awk -v p="$PLATFORM" -v b="$BARE" 'BEGIN {printf "RESULT ingest_throughput_ratio=%.3f\n", p / b}'
echo "RESULT ingest_peak_heap_mb=$PEAK_USED"
