#!/usr/bin/env bash
# Online prediction throughput and latency, as ratios against baselines measured in the same run:
#   platform    POST /v1/models/{id}/predict with an API key: authentication, tenant, model lookup, limits,
#               the model cache, batching when on, and a usage event committed per request;
#   plain HTTP  POST /bench/models/{id}/predict on the same process: same body, same engine (cache, batching),
#               no authentication, tenant, lookup, quota or metering (modelyard.serving.bench.enabled);
#   bare DJL    io.modelyard.serving.bench.BareDjlPredictLoop (test sources) in its own JVM: one DJL predictor
#               per thread called with one text at a time, no HTTP at all.
# Same small text model (trained here with the platform's trainer), same texts (one per request), same PyTorch
# threads (intra-op 1), predictors per model = bare threads = $THREADS. wrk: 2 threads, at each of $CONNECTIONS
# connections (the first is the headline; the others get a _c<N> suffix). Metering runs in its default mode
# (durable: an answer leaves after its usage committed) unless DURABILITY says otherwise. BILLING=off turns
# metering, quotas and rate limits off in the platform: the ratio then shows what authentication, the tenant, the
# model lookup and the filters cost without any billing — the ceiling that work on metering alone can reach.
# Each batching mode (on, off) runs in a fresh process: warm-up, then $ROUNDS alternating rounds, medians.
# Then a worker process caches 20 small models and its resident memory is read.
#   bench/predict.sh [ROUNDS=3] [SECONDS_PER_RUN=10] [WARMUP_MAX_SECONDS=180] [CONNECTIONS="16 64"] [THREADS=2] [ARCHITECTURE=text_cnn]
#                    [DURABILITY=durable] [BILLING=on] [BATCHING="on off"] [PLATFORM_OPTS=]
# (PLATFORM_OPTS: more JVM options for the platform process, e.g. -Dmodelyard.billing.writer-threads=4)
BENCH_DB="${BENCH_DB:-modelyard_bench_predict}"
BENCH_PORT="${BENCH_PORT:-8093}"
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
# Each endpoint is warmed up until the JIT has compiled its path (warm_until_compiled, lib.sh). The platform's
# path takes about a minute of load to get there on 2 cores; measured before that, the ratio compares a
# half-compiled platform with a compiled plain endpoint.
CONNECTIONS="${CONNECTIONS:-16 64}"
DURABILITY="${DURABILITY:-durable}"
BILLING="${BILLING:-on}"
case "$BILLING" in
  on) BILLING_OPTS=() ;;
  off) BILLING_OPTS=("${BILLING_OFF[@]}") ;;
  *) die "BILLING must be on or off" ;;
esac
THREADS="${THREADS:-2}"
ARCHITECTURE="${ARCHITECTURE:-text_cnn}"
DEFAULT_BATCHING="$(sed -n '/interface Batching/,/boolean enabled/p' "$REPO_DIR/src/main/java/io/modelyard/serving/ServingConfig.java" \
  | sed -n 's/.*@WithDefault("\(true\|false\)").*/\1/p' | tail -1)"
WORK="$(mktemp -d -t modelyard-predict-XXXX)"
ENGINE_OPTS=(-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1)

ensure_wrk
ensure_postgres
ensure_keycloak
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "Building Modelyard (jar and test classes)"
  (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests -Pbench)
fi
CP_FILE="$REPO_DIR/target/bench-predict-classpath.txt"
[ -s "$CP_FILE" ] || (cd "$REPO_DIR" && ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE")
CP="$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$CP_FILE")"
JAVA_TOOL=(java -Xmx1g "${ENGINE_OPTS[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP")

log "Training the benchmark's $ARCHITECTURE model"
"${JAVA_TOOL[@]}" io.modelyard.serving.bench.BenchModel "$WORK/model.zip" "$WORK/texts.txt" "$ARCHITECTURE" 2>/dev/null \
  | tee "$WORK/model.txt" >&2

cleanup() {
  stop_platform
  rm -rf "$WORK"
}

stop_platform() {
  if [ -n "${BENCH_PID:-}" ] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill "$BENCH_PID"; wait "$BENCH_PID" 2>/dev/null || true
  fi
  BENCH_PID=""
}

# wrk_post <seconds> <url> [api key]: prints "<requests/s> <p99 ms>" at $CONNS connections; dies on any error.
wrk_post() {
  local out rps p99
  out="$(wrk -t2 -c"$CONNS" -d"$1s" --timeout 30s --latency -s "$REPO_DIR/bench/predict.lua" "$2" -- "$WORK/texts.txt" "${3:-}")"
  if grep -q -e "Non-2xx" -e "Socket errors" <<<"$out"; then die "wrk saw errors on $2:"$'\n'"$out"; fi
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")"
  echo "$rps $p99"
}

bare_run() {
  "${JAVA_TOOL[@]}" io.modelyard.serving.bench.BareDjlPredictLoop "$WORK/model.zip" "$WORK/texts.txt" "$THREADS" \
    "$SECONDS_PER_RUN" 2>/dev/null | awk -F= '/^predictions_per_s=/ {r=$2} /^p99_ms=/ {p=$2} END {print r, p}'
}

tenant_of_key() { curl -fsS -H "Authorization: Bearer $1" "$BENCH_URL/v1/ping" | json_field tenant_id; }

register_model() { # tenant name -> model id
  curl -fsS -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/model.zip" \
    "$BENCH_URL/bench/tenants/$1/models?name=$2" | json_field id
}

# The ledger writer's own figures (Micrometer, /q/metrics): appends, their time (commit included) and the events
# they held, cumulative; read around each platform run to tell what a durable answer waits for.
writer_stats() {
  curl -fsS "$BENCH_URL/q/metrics" | awk '
    /^modelyard_usage_batch_duration_seconds_count / {n = $2} /^modelyard_usage_batch_duration_seconds_sum / {t = $2}
    /^modelyard_usage_batch_size_sum / {e = $2}
    /^modelyard_usage_append_wait_seconds_count / {wn = $2} /^modelyard_usage_append_wait_seconds_sum / {wt = $2}
    END {printf "%d %.6f %d %d %.6f\n", n, t, e, wn, wt}'
}

declare -A RATIO_PLAIN RATIO_BARE P99 COMMIT_MS PER_COMMIT WAIT_MS
for batching in ${BATCHING:-on off}; do
  enabled=false; [ "$batching" = on ] && enabled=true
  log "Batching $batching: starting the platform (role all, billing $BILLING, metering $DURABILITY)"
  start_platform all "${ENGINE_OPTS[@]}" -Dmodelyard.serving.bench.enabled=true \
    -Dmodelyard.serving.batching.enabled="$enabled" -Dmodelyard.serving.predictors="$THREADS" \
    -Dmodelyard.billing.durability="$DURABILITY" "${BILLING_OPTS[@]}" ${PLATFORM_OPTS:-}
  trap cleanup EXIT
  KEY="$(new_tenant_key '["predict"]')"
  TENANT="$(tenant_of_key "$KEY")"
  MODEL="$(register_model "$TENANT" bench)"
  [ -n "$MODEL" ] || die "could not register the benchmark model"
  PLATFORM_URL="$BENCH_URL/v1/models/$MODEL/predict"
  PLAIN_URL="$BENCH_URL/bench/models/$MODEL/predict"
  curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"inputs":["The football match"]}' \
    "$PLATFORM_URL" | grep -q '"label"' || die "the platform does not predict"
  first=1
  for CONNS in $CONNECTIONS; do
    suffix=""; [ "$first" = 1 ] || suffix="_c$CONNS"
    log "Warming up ($CONNS connections)"
    warm_until_compiled "$BENCH_PID" "$PLATFORM_URL" wrk_post 5 "$PLATFORM_URL" "$KEY"
    warm_until_compiled "$BENCH_PID" "$PLAIN_URL" wrk_post 5 "$PLAIN_URL"
    platform_rps=(); plain_rps=(); bare_rps=(); platform_p99=(); plain_p99=(); bare_p99=()
    appends=0; append_seconds=0; append_events=0; waits=0; wait_seconds=0
    for ((round = 1; round <= ROUNDS; round++)); do
      read -r n0 t0 e0 wn0 wt0 < <(writer_stats)
      read -r rps p99 < <(wrk_post "$SECONDS_PER_RUN" "$PLATFORM_URL" "$KEY"); platform_rps+=("$rps"); platform_p99+=("$p99")
      read -r n1 t1 e1 wn1 wt1 < <(writer_stats)
      appends=$((appends + n1 - n0)); append_events=$((append_events + e1 - e0)); waits=$((waits + wn1 - wn0))
      append_seconds="$(awk -v a="$append_seconds" -v b="$t0" -v c="$t1" 'BEGIN {printf "%.6f", a + c - b}')"
      wait_seconds="$(awk -v a="$wait_seconds" -v b="$wt0" -v c="$wt1" 'BEGIN {printf "%.6f", a + c - b}')"
      read -r rps p99 < <(wrk_post "$SECONDS_PER_RUN" "$PLAIN_URL"); plain_rps+=("$rps"); plain_p99+=("$p99")
      bare_note=""
      if [ "$first" = 1 ]; then
        read -r rps p99 < <(bare_run); bare_rps+=("$rps"); bare_p99+=("$p99")
        bare_note=", bare DJL $rps pred/s (p99 $p99 ms)"
      fi
      log "batching $batching, $CONNS connections, round $round: platform ${platform_rps[-1]} req/s" \
        "(p99 ${platform_p99[-1]} ms), plain HTTP ${plain_rps[-1]} req/s (p99 ${plain_p99[-1]} ms)$bare_note"
    done
    P="$(printf '%s\n' "${platform_rps[@]}" | median)"
    H="$(printf '%s\n' "${plain_rps[@]}" | median)"
    P99[$batching$suffix]="$(printf '%s\n' "${platform_p99[@]}" | median)"
    RATIO_PLAIN[$batching$suffix]="$(awk -v a="$P" -v b="$H" 'BEGIN {printf "%.3f", a / b}')"
    if [ "$appends" -gt 0 ]; then
      COMMIT_MS[$batching$suffix]="$(awk -v t="$append_seconds" -v n="$appends" 'BEGIN {printf "%.2f", t * 1000 / n}')"
      # usage events per append; a prediction request makes two (api_requests, predictions)
      PER_COMMIT[$batching$suffix]="$(awk -v e="$append_events" -v n="$appends" 'BEGIN {printf "%.2f", e / n / 2}')"
      WAIT_MS[$batching$suffix]="$(awk -v t="$wait_seconds" -v n="$waits" 'BEGIN {printf "%.2f", n ? t * 1000 / n : 0}')"
      # What an answer waits beyond the plain endpoint's (mean latencies from Little's law: connections / rate),
      # and how much of it is the ledger (queued until committed)
      echo "batching_$batching$suffix: ledger_appends=$appends ledger_append_ms=${COMMIT_MS[$batching$suffix]}" \
        "requests_per_append=${PER_COMMIT[$batching$suffix]} ledger_wait_ms=${WAIT_MS[$batching$suffix]}" \
        "plain_http_latency_ms=$(awk -v c="$CONNS" -v h="$H" 'BEGIN {printf "%.2f", c * 1000 / h}')" \
        "platform_latency_ms=$(awk -v c="$CONNS" -v p="$P" 'BEGIN {printf "%.2f", c * 1000 / p}')"
    fi
    echo "batching_$batching$suffix: connections=$CONNS billing=$BILLING durability=$DURABILITY platform_rps=$P plain_http_rps=$H" \
      "platform_p99_ms=${P99[$batching$suffix]} plain_http_p99_ms=$(printf '%s\n' "${plain_p99[@]}" | median)" \
      "load=$(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$first" = 1 ]; then
      B="$(printf '%s\n' "${bare_rps[@]}" | median)"
      echo "batching_$batching: bare_djl_pred_per_s=$B bare_djl_p99_ms=$(printf '%s\n' "${bare_p99[@]}" | median)"
      RATIO_BARE[$batching]="$(awk -v a="$H" -v b="$B" 'BEGIN {printf "%.3f", a / b}')"
    fi
    first=0
  done
  stop_platform
done

log "Worker memory: 20 small models cached"
# A worker process on the same database (the tenant exists), loading 20 copies of the model through the bench door.
java -Xmx1g "${ENGINE_OPTS[@]}" -Dmodelyard.role=worker -Dquarkus.http.port="$BENCH_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" -Dquarkus.log.level=WARN \
  -Dquarkus.log.console.json.enabled=false -Dmodelyard.serving.bench.enabled=true \
  -Dmodelyard.serving.predictors="$THREADS" -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >"$WORK/worker.log" 2>&1 &
BENCH_PID=$!
trap cleanup EXIT
wait_for_url "$BENCH_URL/q/health/ready" 120 "Modelyard worker"
rss_mb() { awk '{printf "%.1f", $1 / 1024}' < <(ps -o rss= -p "$BENCH_PID"); }
predict_plain() { curl -fsS -H 'Content-Type: application/json' -d '{"inputs":["The senate voted today"]}' \
  "$BENCH_URL/bench/models/$1/predict" >/dev/null || die "model $1 did not predict"; }
RSS_IDLE="$(rss_mb)"
FIRST="$(register_model "$TENANT" rss-1)"; predict_plain "$FIRST"; sleep 2
RSS_ONE="$(rss_mb)"
for i in $(seq 2 20); do m="$(register_model "$TENANT" "rss-$i")"; predict_plain "$m"; done
sleep 2
RSS_TWENTY="$(rss_mb)"
CACHE_BYTES="$(curl -fsS "$BENCH_URL/q/metrics" | awk '/^modelyard_serving_cache_bytes / {printf "%.0f", $2}')"
CACHE_MODELS="$(curl -fsS "$BENCH_URL/q/metrics" | awk '/^modelyard_serving_cache_models / {printf "%.0f", $2}')"
stop_platform
echo "worker_rss_mb: idle=$RSS_IDLE one_model=$RSS_ONE twenty_models=$RSS_TWENTY cache_models=$CACHE_MODELS" \
  "cache_bytes=$CACHE_BYTES model_artifact_bytes=$(stat -c %s "$WORK/model.zip")"
awk -v a="$RSS_TWENTY" -v b="$RSS_ONE" 'BEGIN {printf "RESULT predict_worker_rss_mb_per_extra_model=%.2f\n", (a - b) / 19}'
echo "RESULT predict_worker_rss_mb_20_models=$RSS_TWENTY"
for batching in ${BATCHING:-on off}; do
  for key in "${!RATIO_PLAIN[@]}"; do
    [[ "$key" == "$batching" || "$key" == "${batching}_c"* ]] || continue
    rest="${key#$batching}"
    echo "RESULT predict_platform_vs_plain_http_batching_$batching$rest=${RATIO_PLAIN[$key]}"
    echo "RESULT predict_p99_ms_batching_$batching$rest=${P99[$key]}"
  done
  echo "RESULT predict_http_vs_bare_djl_batching_$batching=${RATIO_BARE[$batching]}"
done
default_mode=off; [ "$DEFAULT_BATCHING" = true ] && default_mode=on
for key in "${!RATIO_PLAIN[@]}"; do
  [[ "$key" == "${default_mode}_c"* ]] || continue
  echo "RESULT predict_platform_vs_plain_http${key#$default_mode}=${RATIO_PLAIN[$key]}"
  echo "RESULT predict_p99_ms${key#$default_mode}=${P99[$key]}"
done
echo "RESULT predict_platform_vs_plain_http=${RATIO_PLAIN[$default_mode]}"
echo "RESULT predict_http_vs_bare_djl=${RATIO_BARE[$default_mode]}"
echo "RESULT predict_p99_ms=${P99[$default_mode]}"
# What a durable answer waits for: one ledger append, commit included, during the measured platform rounds.
[ -n "${COMMIT_MS[$default_mode]:-}" ] && echo "RESULT predict_ledger_append_ms=${COMMIT_MS[$default_mode]}" \
  && echo "RESULT predict_requests_per_ledger_append=${PER_COMMIT[$default_mode]}" \
  && echo "RESULT predict_ledger_wait_ms=${WAIT_MS[$default_mode]}"
true
