#!/usr/bin/env bash
# Queue dispatch latency: how long a canary job (type noop) waits between its creation through the API
# (POST /v1/jobs) and the moment a worker starts it, from the platform's own timestamps (created_at, written
# by the API; started_at, written by the claim). One process in role "all" (API and worker, which still talk
# through PostgreSQL: the commit's NOTIFY wakes the idle worker). Jobs are created one at a time, GAP seconds
# apart, so each measures dispatch to an idle worker rather than a backlog. The baseline, from the same run, is
# the client-side latency of the create request itself.
source "$(dirname "$0")/lib.sh"
JOBS="${JOBS:-200}"
WARMUP="${WARMUP:-50}"
GAP="${GAP:-0.1}"
WORKER_THREADS="${WORKER_THREADS:-2}"

ensure_jq() {
  command -v jq >/dev/null && return 0
  log "Installing jq (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
}

# create_job <phase>: prints "<job id> <request seconds>".
create_job() {
  local out
  out="$(curl -fsS -w '\n%{time_total}' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"type\":\"noop\",\"metadata\":{\"phase\":\"$1\"}}" "$BENCH_URL/v1/jobs")"
  echo "$(head -n1 <<<"$out" | jq -r .id) $(tail -n1 <<<"$out")"
}

# measured_jobs: every job of the measured phase, one JSON object a line.
measured_jobs() {
  local after="" page
  while :; do
    page="$(curl -fsS -G -H "Authorization: Bearer $KEY" --data-urlencode 'metadata[phase]=measure' \
      --data-urlencode limit=100 --data-urlencode "after=$after" "$BENCH_URL/v1/jobs")"
    jq -c '.data[]' <<<"$page"
    after="$(jq -r '.next_cursor // empty' <<<"$page")"
    [ -n "$after" ] || break
  done
}

percentile() { # p (0-100), values on stdin
  sort -g | awk -v p="$1" '{a[NR]=$1} END {i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; print a[i]}'
}

ensure_jq
start_platform all -Dmodelyard.worker.threads="$WORKER_THREADS"
KEY="$(new_tenant_key '["jobs:write","read"]')"
[ -n "$KEY" ] || die "could not create an API key"

log "Warming up ($WARMUP jobs)"
for ((i = 0; i < WARMUP; i++)); do create_job warmup >/dev/null; sleep "$GAP"; done

log "Measuring ($JOBS jobs, one every ${GAP}s)"
create_ms=()
for ((i = 0; i < JOBS; i++)); do
  read -r _ seconds < <(create_job measure)
  create_ms+=("$(awk -v s="$seconds" 'BEGIN {printf "%.3f", s * 1000}')")
  sleep "$GAP"
done

for _ in $(seq 1 60); do
  done_count="$(measured_jobs | jq -s '[.[] | select(.state == "succeeded")] | length')"
  [ "$done_count" -eq "$JOBS" ] && break
  sleep 1
done
[ "$done_count" -eq "$JOBS" ] || die "only $done_count of $JOBS jobs succeeded"

# ISO-8601 with optional fraction -> epoch milliseconds (jq 1.6 has no fractional fromdateiso8601).
DISPATCH="$(measured_jobs | jq -r '
  def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") as $c
    | (($c.s + "Z") | fromdateiso8601) * 1000 + (if $c.f then ("0." + $c.f | tonumber) * 1000 else 0 end);
  (.started_at | ms) - (.created_at | ms)')"

P50="$(percentile 50 <<<"$DISPATCH")"
P90="$(percentile 90 <<<"$DISPATCH")"
P99="$(percentile 99 <<<"$DISPATCH")"
CREATE_P50="$(printf '%s\n' "${create_ms[@]}" | percentile 50)"
echo "jobs=$JOBS dispatch_p50_ms=$P50 dispatch_p90_ms=$P90 dispatch_p99_ms=$P99 create_request_p50_ms=$CREATE_P50"
awk -v d="$P50" -v c="$CREATE_P50" 'BEGIN {printf "RESULT queue_dispatch_vs_create_request_ratio=%.3f\n", d / c}'
awk -v v="$P99" 'BEGIN {printf "RESULT queue_dispatch_p99_ms=%.1f\n", v}'
awk -v v="$P50" 'BEGIN {printf "RESULT queue_dispatch_p50_ms=%.1f\n", v}'
