#!/usr/bin/env bash
# Metering overhead: throughput of a metered, API-key-authenticated endpoint with metering, quotas and rate
# limits on, divided by the same with them off — three instances of the same jar (role api) against the same
# database, started in this run, measured in alternating rounds (wrk, 2 threads, 32 connections, warmed up,
# medians):
#   off       -Dmodelyard.billing.metering-enabled=false -Dmodelyard.billing.quotas-enabled=false
#             -Dmodelyard.billing.rate-limits-enabled=false
#   durable   everything on, the answer leaves after the batch holding its usage committed (the default)
#   buffered  everything on, the answer leaves at once; the batch commits within 20 ms
# "On" runs the full request path: shared token buckets per key and per tenant, the hard quota (a lease, set far
# away so that nothing is refused), and one usage event per request appended to the ledger.
#
# Then the ledger's sustained write rate: 60 s of POST /bench/usage (modelyard.billing.bench-enabled, durable),
# each request appending BENCH_EVENTS usage events through the same writer, with the aggregator deriving counters
# and roll-ups as it goes; usage events committed per second, and how far behind the aggregator is at the end.
#
# Knobs: ROUNDS (5), SECONDS_PER_RUN (10), WARMUP_MAX_SECONDS (180; each process is warmed until compiled),
# CONNECTIONS (32), LEDGER_SECONDS (60), BENCH_EVENTS (100),
# BENCH_PATH (/v1/ping), BENCH_METHOD (GET), BENCH_BODY (a JSON body for POST), BENCH_SCOPES (["read"]). For
# predictions:
#   BENCH_METHOD=POST BENCH_PATH=/v1/models/<id>/predict BENCH_BODY='{"inputs":["great"]}' \
#   BENCH_SCOPES='["predict"]' bench/metering.sh
# (BENCH_SETUP may name a script that prints the path to use, given $BENCH_URL and $KEY in its environment.)
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-5}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
LEDGER_SECONDS="${LEDGER_SECONDS:-60}"
BENCH_EVENTS="${BENCH_EVENTS:-100}"
BENCH_PATH="${BENCH_PATH:-/v1/ping}"
BENCH_METHOD="${BENCH_METHOD:-GET}"
BENCH_BODY="${BENCH_BODY:-}"
BENCH_SCOPES="${BENCH_SCOPES:-[\"read\"]}"
OFF_PORT="${OFF_PORT:-$((BENCH_PORT + 1))}"
BUFFERED_PORT="${BUFFERED_PORT:-$((BENCH_PORT + 2))}"
OFF_URL="http://localhost:$OFF_PORT"
BUFFERED_URL="http://localhost:$BUFFERED_PORT"

ensure_wrk
start_platform api -Dmodelyard.billing.durability=durable -Dmodelyard.billing.bench-enabled=true ${BENCH_ON_OPTS:-}
ON_PID=$BENCH_PID
# second_instance <port> <log> [options...]: the same jar on the same database.
second_instance() {
  local port="$1" out="$2"; shift 2
  java -Xmx1g "$@" -Dmodelyard.role=api -Dquarkus.http.port="$port" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
    -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >"$out" 2>&1 &
}
second_instance "$OFF_PORT" "$(mktemp -t modelyard-bench-off-XXXX.log)" "${BILLING_OFF[@]}"
OFF_PID=$!
second_instance "$BUFFERED_PORT" "$(mktemp -t modelyard-bench-buffered-XXXX.log)" \
  -Dmodelyard.billing.durability=buffered ${BENCH_ON_OPTS:-}
BUFFERED_PID=$!
trap 'kill $ON_PID $OFF_PID $BUFFERED_PID 2>/dev/null || true' EXIT
wait_for_url "$OFF_URL/q/health/ready" 120 "Modelyard (billing off)"
wait_for_url "$BUFFERED_URL/q/health/ready" 120 "Modelyard (buffered)"

# A tenant on the bench plan (lib.sh): limits evaluated on every request but never reached.
KEY="$(new_tenant_key "$BENCH_SCOPES")"
[ -n "$KEY" ] || die "could not create an API key"
TENANT="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping" | json_field tenant_id)"
if [ -n "${BENCH_SETUP:-}" ]; then
  BENCH_PATH="$(BENCH_URL="$BENCH_URL" KEY="$KEY" "$BENCH_SETUP")"
fi

SCRIPT="$(mktemp -t modelyard-bench-XXXX.lua)"
if [ -n "$BENCH_BODY" ]; then
  BODY_LUA="${BENCH_BODY//\\/\\\\}"; BODY_LUA="${BODY_LUA//\"/\\\"}"
  printf 'wrk.method = "%s"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/json"\n' \
    "$BENCH_METHOD" "$BODY_LUA" >"$SCRIPT"
else
  printf 'wrk.method = "%s"\n' "$BENCH_METHOD" >"$SCRIPT"
fi
# run <base url> <seconds>: prints "<requests/s> <p99 ms>"; any non-2xx answer aborts the benchmark.
run() {
  local out rps p99
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$2s" --latency -s "$SCRIPT" -H "Authorization: Bearer $KEY" "$1$BENCH_PATH")"
  if grep -q "Non-2xx" <<<"$out"; then die "wrk saw errors:\n$out"; fi
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")"
  echo "$rps $p99"
}
sql() { as_postgres psql -qtAX -d "$BENCH_DB" -c "$1"; }
events() { sql "select count(*) from usage_events where tenant_id = '$TENANT'"; }

curl -fsS -o /dev/null -X "$BENCH_METHOD" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  ${BENCH_BODY:+-d "$BENCH_BODY"} "$BENCH_URL$BENCH_PATH" || die "$BENCH_METHOD $BENCH_PATH does not answer 2xx"
log "Warming up ($BENCH_METHOD $BENCH_PATH)"
warm_until_compiled "$OFF_PID" "billing off" run "$OFF_URL" 5
warm_until_compiled "$ON_PID" "durable" run "$BENCH_URL" 5
warm_until_compiled "$BUFFERED_PID" "buffered" run "$BUFFERED_URL" 5

off_rps=(); durable_rps=(); buffered_rps=(); off_p99=(); durable_p99=(); buffered_p99=()
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rps p99 < <(run "$OFF_URL" "$SECONDS_PER_RUN"); off_rps+=("$rps"); off_p99+=("$p99")
  before="$(events)"
  read -r rps p99 < <(run "$BENCH_URL" "$SECONDS_PER_RUN"); durable_rps+=("$rps"); durable_p99+=("$p99")
  written="$(( $(events) - before ))"
  read -r rps p99 < <(run "$BUFFERED_URL" "$SECONDS_PER_RUN"); buffered_rps+=("$rps"); buffered_p99+=("$p99")
  log "round $round: billing off ${off_rps[-1]} req/s (p99 ${off_p99[-1]} ms), durable ${durable_rps[-1]} req/s" \
    "(p99 ${durable_p99[-1]} ms, $written usage events), buffered ${buffered_rps[-1]} req/s (p99 ${buffered_p99[-1]} ms)"
done
sleep 3

# Every served request must be in the ledger exactly once, and the counters must say so once aggregated.
# (an operator token fetched now: the rounds and their warm-up outlast an access token's lifetime)
OPERATOR="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=operator -d password=operator \
  "$(keycloak_realm_url)/protocol/openid-connect/token" | json_field access_token)"
served="$(curl -fsS -H "Authorization: Bearer $OPERATOR" "$BENCH_URL/v1/admin/billing-accounts/$TENANT/usage" \
  | sed -n 's/.*"meter":"api_requests","unit":"request","used":\([0-9]*\).*/\1/p')"
log "ledger: $(events) usage events for tenant $TENANT; the counter says $served api_requests"

# The ledger's sustained rate: a fresh tenant, LEDGER_SECONDS of appends of BENCH_EVENTS events each.
LEDGER_TENANT="$(sql "select id from tenants order by created_at desc limit 1")"
LUA="$(mktemp -t modelyard-bench-ledger-XXXX.lua)"
printf 'wrk.method = "POST"\n' >"$LUA"
before="$(sql "select count(*) from usage_events")"; started="$(date +%s.%N)"
out="$(wrk -t2 -c16 -d"${LEDGER_SECONDS}s" --latency -s "$LUA" \
  "$BENCH_URL/bench/usage?tenant_id=$LEDGER_TENANT&events=$BENCH_EVENTS")"
ended="$(date +%s.%N)"; after="$(sql "select count(*) from usage_events")"
if grep -q "Non-2xx" <<<"$out"; then die "wrk saw errors on /bench/usage:\n$out"; fi
# How long the aggregator takes to count the last of it (it runs every second by default).
lag_started="$(date +%s.%N)"
for _ in $(seq 1 600); do
  pending="$(sql "select coalesce(sum(e.n), 0) from (select count(*) as n from usage_streams s join usage_events e
    on e.stream = s.id and e.seq > s.watermark) e")"
  [ "$pending" = "0" ] && break
  sleep 0.1
done
lag="$(awk -v s="$lag_started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')"
log "ledger: $((after - before)) events in $(awk -v s="$started" -v e="$ended" 'BEGIN {printf "%.1f", e - s}') s;" \
  "the aggregator caught up $lag s after the load stopped ($pending left)"

curl -fsS "$BENCH_URL/q/metrics" | grep -E '^modelyard_usage_(batch_(size|duration_seconds)_(count|sum|max)|events_(aggregated|lost)_total)' \
  | tr '\n' ' ' | sed 's/^/writer: /' >&2; echo >&2
OFF="$(printf '%s\n' "${off_rps[@]}" | median)"
DURABLE="$(printf '%s\n' "${durable_rps[@]}" | median)"
BUFFERED="$(printf '%s\n' "${buffered_rps[@]}" | median)"
OFF_P99="$(printf '%s\n' "${off_p99[@]}" | median)"
DURABLE_P99="$(printf '%s\n' "${durable_p99[@]}" | median)"
BUFFERED_P99="$(printf '%s\n' "${buffered_p99[@]}" | median)"
echo "billing_off_rps=$OFF durable_rps=$DURABLE buffered_rps=$BUFFERED billing_off_p99_ms=$OFF_P99" \
  "durable_p99_ms=$DURABLE_P99 buffered_p99_ms=$BUFFERED_P99 load=$(cut -d' ' -f1-3 /proc/loadavg)"
awk -v on="$DURABLE_P99" -v off="$OFF_P99" 'BEGIN {printf "RESULT metering_added_p99_ms=%.3f\n", on - off}'
awk -v on="$BUFFERED_P99" -v off="$OFF_P99" 'BEGIN {printf "RESULT metering_added_p99_ms_buffered=%.3f\n", on - off}'
awk -v on="$DURABLE" -v off="$OFF" 'BEGIN {printf "RESULT metering_overhead_ratio=%.3f\n", on / off}'
awk -v on="$DURABLE" -v off="$OFF" 'BEGIN {printf "RESULT metering_overhead_ratio_durable=%.3f\n", on / off}'
awk -v on="$BUFFERED" -v off="$OFF" 'BEGIN {printf "RESULT metering_overhead_ratio_buffered=%.3f\n", on / off}'
awk -v n="$((after - before))" -v s="$started" -v e="$ended" 'BEGIN {printf "RESULT usage_events_per_s=%.0f\n", n / (e - s)}'
echo "RESULT usage_aggregation_catch_up_s=$lag"
