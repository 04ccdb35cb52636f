#!/usr/bin/env bash
# API-key authentication overhead: throughput of GET /v1/ping with a valid API key divided by the same GET
# without credentials, same process, same load (wrk, 2 threads, 32 connections), warmed up, 5 alternating
# rounds, medians. With a key the request runs the full key check (shape, checksum, SHA-256, credentials
# cache, expiry, tenant status, scopes into the tenant context); without one, no credential is verified.
# Billing (metering, quotas, rate limits) is off here: it applies to API-key requests only and would be counted
# as authentication; bench/metering.sh measures it on its own.
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-5}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
ensure_wrk
start_platform api "${BILLING_OFF[@]}"
KEY="$(new_tenant_key '["read"]')"
[ -n "$KEY" ] || die "could not create an API key"
curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping" | grep -q '"authenticated":true' \
  || die "the key does not authenticate"

log "Warming up"
wrk_run 10 32 "$BENCH_URL/v1/ping" >/dev/null
wrk_run 10 32 "$BENCH_URL/v1/ping" "Authorization: Bearer $KEY" >/dev/null

off_rps=(); on_rps=(); off_p99=(); on_p99=()
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rps p99 < <(wrk_run "$SECONDS_PER_RUN" 32 "$BENCH_URL/v1/ping")
  off_rps+=("$rps"); off_p99+=("$p99")
  read -r rps p99 < <(wrk_run "$SECONDS_PER_RUN" 32 "$BENCH_URL/v1/ping" "Authorization: Bearer $KEY")
  on_rps+=("$rps"); on_p99+=("$p99")
  log "round $round: no auth ${off_rps[-1]} req/s (p99 ${off_p99[-1]} ms), API key ${on_rps[-1]} req/s (p99 ${on_p99[-1]} ms)"
done

OFF="$(printf '%s\n' "${off_rps[@]}" | median)"
ON="$(printf '%s\n' "${on_rps[@]}" | median)"
OFF_P99="$(printf '%s\n' "${off_p99[@]}" | median)"
ON_P99="$(printf '%s\n' "${on_p99[@]}" | median)"
echo "no_auth_rps=$OFF api_key_rps=$ON no_auth_p99_ms=$OFF_P99 api_key_p99_ms=$ON_P99"
awk -v on="$ON_P99" -v off="$OFF_P99" 'BEGIN {printf "RESULT apikey_auth_added_p99_ms=%.3f\n", on - off}'
awk -v on="$ON" -v off="$OFF" 'BEGIN {printf "RESULT apikey_auth_throughput_ratio=%.3f\n", on / off}'
