#!/usr/bin/env bash
# Encryption at rest: dataset uploads through HTTP to a platform with encryption on ÷ the same jar with it off.
#
# Generates a text-classification CSV (TextDatasetGenerator, test sources; ROWS rows, ~30 MB by default), starts
# two API processes side by side on databases and blob directories of their own, one with
# modelyard.encryption.enabled=true (the default) and one with false, and uploads the same file to each
# (POST /v1/datasets, streamed raw body: stored, validated, cleaned, profiled, split, the version stored), ROUNDS
# times after WARMUP unmeasured uploads each, alternating which goes first so machine noise hits both. Every
# upload writes the raw blob and the version blob, so both are encrypted on one side and plaintext on the other.
# Checks that the encrypted side's blobs on disk are ciphertext and the plain side's are not, then prints
#   RESULT encrypted_ingest_ratio=<uploads/s encrypted ÷ uploads/s plain>   (goal ≥ 0.9)
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-8}"
WARMUP="${WARMUP:-3}"
ROWS="${ROWS:-300000}"
HEAP="${HEAP:-512m}"
ENC_PORT="${ENC_PORT:-8091}"
PLAIN_PORT="${PLAIN_PORT:-8092}"

WORK="$(mktemp -d -t modelyard-encryption-XXXX)"
CSV="$WORK/reviews.csv"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_postgres
ensure_keycloak
ensure_jar
cd "$REPO_DIR"
if [ ! -f target/test-classes/io/modelyard/dataset/TextDatasetGenerator.class ] || [ -n "${BENCH_REBUILD:-}" ]; then
  log "Compiling the benchmark helpers (test sources)"
  ./mvnw -q -B test-compile -Pbench
fi
if [ ! -s target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"

log "Generating $ROWS rows"
java -cp "$CP" io.modelyard.dataset.TextDatasetGenerator "$CSV" "$ROWS" 42 >&2
BYTES="$(stat -c %s "$CSV")"

# start_instance <name> <port> <encryption enabled>: an API process on a database and blob directory of its own.
start_instance() {
  local name="$1" port="$2" enabled="$3" db="modelyard_bench_$1"
  ensure_database "$db" recreate
  # each on a fresh database of its own, which it migrates (lib.sh's operator credential is in the environment)
  java -Xmx"$HEAP" -Dmodelyard.role=api -Dquarkus.flyway.migration.migrate-at-start=true -Dquarkus.http.port="$port" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$db" \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
    -Dmodelyard.encryption.enabled="$enabled" \
    -Dmodelyard.storage.dir="$WORK/$name/blobs" -Dmodelyard.datasets.work-dir="$WORK/$name/work" \
    -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
}

log "Starting the encrypted (:$ENC_PORT) and the plain (:$PLAIN_PORT) platform"
start_instance encrypted "$ENC_PORT" true
start_instance plain "$PLAIN_PORT" false
wait_for_url "http://localhost:$ENC_PORT/q/health/ready" 180 "Modelyard (encrypted)"
wait_for_url "http://localhost:$PLAIN_PORT/q/health/ready" 180 "Modelyard (plain)"
ENC_KEY="$(BENCH_URL="http://localhost:$ENC_PORT" new_tenant_key '["datasets:write","read"]')"
PLAIN_KEY="$(BENCH_URL="http://localhost:$PLAIN_PORT" new_tenant_key '["datasets:write","read"]')"
[ -n "$ENC_KEY" ] && [ -n "$PLAIN_KEY" ] || die "could not create the API keys"

upload_run() { # upload_run <port> <key>: prints the seconds one upload took, and deletes the dataset it made
  local port="$1" key="$2" out status seconds id
  out="$(curl -sS -o "$WORK/response.json" -w '%{http_code} %{time_total}' -X POST -T "$CSV" -H 'Expect:' \
    -H "Authorization: Bearer $key" -H 'Content-Type: text/csv' \
    "http://localhost:$port/v1/datasets?task=text_classification&name=bench")"
  read -r status seconds <<<"$out"
  [ "$status" = "201" ] || die "upload to :$port answered $status: $(head -c 2000 "$WORK/response.json")"
  id="$(grep -o '"id":"ds_[^"]*"' "$WORK/response.json" | head -n1 | cut -d'"' -f4)"
  if [ -n "${KEEP_LAST:-}" ]; then
    echo "$seconds"
    return
  fi
  curl -fsS -X DELETE -H "Authorization: Bearer $key" "http://localhost:$port/v1/datasets/$id" >/dev/null
  echo "$seconds"
}

# AES-GCM runs at its intrinsic speed only once C2 has compiled it: a few unmeasured uploads each first.
log "Warming up ($WARMUP unmeasured uploads each)"
for ((i = 1; i <= WARMUP; i++)); do
  upload_run "$ENC_PORT" "$ENC_KEY" >/dev/null
  upload_run "$PLAIN_PORT" "$PLAIN_KEY" >/dev/null
done
enc_total=0; plain_total=0; ratios=()
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then
    e="$(upload_run "$ENC_PORT" "$ENC_KEY")"; p="$(upload_run "$PLAIN_PORT" "$PLAIN_KEY")"
  else
    p="$(upload_run "$PLAIN_PORT" "$PLAIN_KEY")"; e="$(upload_run "$ENC_PORT" "$ENC_KEY")"
  fi
  enc_total="$(awk -v a="$enc_total" -v b="$e" 'BEGIN {print a + b}')"
  plain_total="$(awk -v a="$plain_total" -v b="$p" 'BEGIN {print a + b}')"
  ratios+=("$(awk -v e="$e" -v p="$p" 'BEGIN {printf "%.3f", p / e}')")
  log "round $round: encrypted ${e}s, plain ${p}s, ratio ${ratios[-1]}"
done

# One more upload each, kept, to look at what lands on disk.
KEEP_LAST=1 upload_run "$ENC_PORT" "$ENC_KEY" >/dev/null
KEEP_LAST=1 upload_run "$PLAIN_PORT" "$PLAIN_KEY" >/dev/null
magic_files() { # magic_files <dir>: "<files starting with the encryption prefix> <files>"
  local encrypted=0 total=0 file
  while IFS= read -r file; do
    total=$((total + 1))
    if [ "$(head -c 6 "$file" | od -An -c | tr -d ' ')" = '\0MYENC' ]; then encrypted=$((encrypted + 1)); fi
  done < <(find "$1" -path '*/tenants/*' -type f)
  echo "$encrypted $total"
}
read -r ENC_MAGIC ENC_FILES < <(magic_files "$WORK/encrypted/blobs")
read -r PLAIN_MAGIC PLAIN_FILES < <(magic_files "$WORK/plain/blobs")
[ "$ENC_FILES" -gt 0 ] && [ "$ENC_MAGIC" = "$ENC_FILES" ] || die "encrypted side: $ENC_MAGIC of $ENC_FILES blobs encrypted"
[ "$PLAIN_MAGIC" = 0 ] || die "plain side: $PLAIN_MAGIC of $PLAIN_FILES blobs encrypted"
if grep -rqsF "$(sed -n 2p "$CSV" | cut -c1-40)" "$WORK/encrypted/blobs/tenants"; then
  die "the encrypted side's blobs contain the CSV's text"
fi

echo "file_bytes=$BYTES rows=$ROWS rounds=$ROUNDS encrypted_s=$enc_total plain_s=$plain_total median_round_ratio=$(printf '%s\n' "${ratios[@]}" | median)"
echo "blobs on disk: encrypted side $ENC_MAGIC/$ENC_FILES ciphertext, plain side $PLAIN_MAGIC/$PLAIN_FILES"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# uploads/s encrypted ÷ uploads/s plain = total plain time ÷ total encrypted time (same number of uploads).
awk -v e="$enc_total" -v p="$plain_total" 'BEGIN {printf "RESULT encrypted_ingest_ratio=%.3f\n", p / e}'
