#!/usr/bin/env bash
# Metering overhead: throughput of a metered, API-key-authenticated endpoint with metering, quotas and rate
# limits on, divided by the same with them off — two instances of the same jar against the same database,
# started in this run, measured in alternating rounds (wrk, 2 threads, 32 connections, warmed up, medians).
#
# "On" runs the full request path: token buckets per key and per tenant, the quota check (a hard quota, set far
# away so that nothing is refused), and one usage event per request committed by the group-commit writer before
# the response leaves. "Off" is the same jar with
#   -Dmodelyard.billing.metering-enabled=false -Dmodelyard.billing.quotas-enabled=false
#   -Dmodelyard.billing.rate-limits-enabled=false
#
# Also reports the ledger's sustained write rate during the "on" rounds (usage events committed per second).
#
# Knobs: ROUNDS (5), SECONDS_PER_RUN (10), CONNECTIONS (32), BENCH_PATH (/v1/ping), BENCH_METHOD (GET),
# BENCH_BODY (a JSON body for POST), BENCH_SCOPES (["read"]). For predictions, once they exist:
#   BENCH_METHOD=POST BENCH_PATH=/v1/models/<id>/predict BENCH_BODY='{"inputs":["great"]}' \
#   BENCH_SCOPES='["predict"]' bench/metering.sh
# (BENCH_SETUP may name a script that prints the path to use, given $BENCH_URL and $KEY in its environment.)
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-5}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
BENCH_PATH="${BENCH_PATH:-/v1/ping}"
BENCH_METHOD="${BENCH_METHOD:-GET}"
BENCH_BODY="${BENCH_BODY:-}"
BENCH_SCOPES="${BENCH_SCOPES:-[\"read\"]}"
OFF_PORT="${OFF_PORT:-$((BENCH_PORT + 1))}"
OFF_URL="http://localhost:$OFF_PORT"
BILLING_OFF=(-Dmodelyard.billing.metering-enabled=false -Dmodelyard.billing.quotas-enabled=false
  -Dmodelyard.billing.rate-limits-enabled=false)

ensure_wrk
start_platform api ${BENCH_ON_OPTS:-}
ON_PID=$BENCH_PID
OFF_LOG="$(mktemp -t modelyard-bench-off-XXXX.log)"
java -Xmx1g "${BILLING_OFF[@]}" -Dmodelyard.role=api -Dquarkus.http.port="$OFF_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
  -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
  -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >"$OFF_LOG" 2>&1 &
OFF_PID=$!
trap 'kill $ON_PID $OFF_PID 2>/dev/null || true' EXIT
wait_for_url "$OFF_URL/q/health/ready" 120 "Modelyard (billing off)"

# A tenant on the bench plan (lib.sh): limits evaluated on every request but never reached.
KEY="$(new_tenant_key "$BENCH_SCOPES")"
[ -n "$KEY" ] || die "could not create an API key"
TENANT="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping" | json_field tenant_id)"
OPERATOR="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=operator -d password=operator \
  "$(keycloak_realm_url)/protocol/openid-connect/token" | json_field access_token)"
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
events() { as_postgres psql -qtAX -d "$BENCH_DB" -c "select count(*) from usage_events where tenant_id = '$TENANT'"; }

curl -fsS -o /dev/null -X "$BENCH_METHOD" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  ${BENCH_BODY:+-d "$BENCH_BODY"} "$BENCH_URL$BENCH_PATH" || die "$BENCH_METHOD $BENCH_PATH does not answer 2xx"
log "Warming up ($BENCH_METHOD $BENCH_PATH)"
run "$OFF_URL" 10 >/dev/null
run "$BENCH_URL" 10 >/dev/null

off_rps=(); on_rps=(); off_p99=(); on_p99=(); written=0; on_seconds=0
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rps p99 < <(run "$OFF_URL" "$SECONDS_PER_RUN")
  off_rps+=("$rps"); off_p99+=("$p99")
  before="$(events)"; started="$(date +%s.%N)"
  read -r rps p99 < <(run "$BENCH_URL" "$SECONDS_PER_RUN")
  after="$(events)"; ended="$(date +%s.%N)"
  on_rps+=("$rps"); on_p99+=("$p99")
  written=$((written + after - before))
  on_seconds="$(awk -v a="$on_seconds" -v s="$started" -v e="$ended" 'BEGIN {print a + e - s}')"
  log "round $round: billing off ${off_rps[-1]} req/s (p99 ${off_p99[-1]} ms), on ${on_rps[-1]} req/s (p99 ${on_p99[-1]} ms), $((after - before)) usage events"
done

# Every served "on" request must be in the ledger exactly once: compare with the server's own count.
served="$(curl -fsS -H "Authorization: Bearer $OPERATOR" "$BENCH_URL/v1/admin/billing-accounts/$TENANT/usage" \
  | sed -n 's/.*"meter":"api_requests","unit":"request","used":\([0-9]*\).*/\1/p')"
log "ledger: $(events) api_requests events for tenant $TENANT; the counter says $served"

curl -fsS "$BENCH_URL/q/metrics" | grep -E '^modelyard_usage_batch_(size|duration_seconds)_(count|sum|max)' \
  | tr '\n' ' ' | sed 's/^/writer: /' >&2; echo >&2
OFF="$(printf '%s\n' "${off_rps[@]}" | median)"
ON="$(printf '%s\n' "${on_rps[@]}" | median)"
OFF_P99="$(printf '%s\n' "${off_p99[@]}" | median)"
ON_P99="$(printf '%s\n' "${on_p99[@]}" | median)"
echo "billing_off_rps=$OFF billing_on_rps=$ON billing_off_p99_ms=$OFF_P99 billing_on_p99_ms=$ON_P99 load=$(cut -d' ' -f1-3 /proc/loadavg)"
awk -v on="$ON_P99" -v off="$OFF_P99" 'BEGIN {printf "RESULT metering_added_p99_ms=%.3f\n", on - off}'
awk -v on="$ON" -v off="$OFF" 'BEGIN {printf "RESULT metering_overhead_ratio=%.3f\n", on / off}'
awk -v n="$written" -v s="$on_seconds" 'BEGIN {printf "RESULT usage_events_per_s=%.0f\n", n / s}'
