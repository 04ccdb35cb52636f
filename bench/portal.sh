#!/usr/bin/env bash
# The portal's server time and weight, in one run.
#
# A tenant with DATASETS datasets and MODELS models (one trained for real; the others registered as copies of its
# registry row, which is all a page reads) is browsed by the demo user through a real portal session (Keycloak's
# authorization code flow, driven with curl). Each of the dataset list, a training job's page and a model's page
# is fetched REQUESTS times after a warm-up; the time is the server's (curl's time to the last byte, on loopback).
# Then the JavaScript and CSS a first visit downloads (what the job page links, the heaviest) are fetched
# gzip-compressed, as a browser would.
#
# Prints per-page p50/p95 and: RESULT portal_p95_ms (all three pages; goal <= 150) and RESULT portal_asset_kb
# (goal <= 150).
source "$(dirname "$0")/lib.sh"
DATASETS="${DATASETS:-1000}"
MODELS="${MODELS:-200}"
REQUESTS="${REQUESTS:-100}"
WARMUP="${WARMUP:-20}"

command -v jq >/dev/null || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
start_platform all -Dquarkus.oidc.portal.authentication.cookie-force-secure=false
TOKEN="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=demo -d password=demo \
  "$(keycloak_realm_url)/protocol/openid-connect/token" | jq -r .access_token)"
TENANT="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Portal bench $(date +%s)\"}" "$BENCH_URL/v1/tenants" | jq -r .id)"
bench_plan_for "$TENANT"
KEY="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H "Modelyard-Tenant: $TENANT" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["datasets:write","jobs:write","read","predict"]}' "$BENCH_URL/v1/api-keys" | jq -r .secret)"

log "Uploading $DATASETS datasets"
CSV="$(mktemp -t modelyard-portal-XXXX.csv)"
{
  echo "text,label"
  for i in $(seq 1 40); do
    case $((i % 3)) in 0) echo "match goal team season $i,sport" ;; 1) echo "vote senate law minister $i,politics" ;;
      *) echo "atom cell lab theory $i,science" ;; esac
  done
} >"$CSV"
export KEY CSV BENCH_URL
seq 1 "$DATASETS" | xargs -P 4 -I{} sh -c 'curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" \
  -H "Content-Type: text/csv" --data-binary "@$CSV" "$BENCH_URL/v1/datasets?name=set-{}&task=text_classification" \
  || echo "upload {} failed" >&2'
VERSION="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/datasets?limit=1" | jq -r '.data[0].latest_version.id')"

log "Training one model, then registering $((MODELS - 1)) copies of it"
JOB="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"dataset_version_id\":\"$VERSION\",\"hyperparameters\":{\"epochs\":3}}" "$BENCH_URL/v1/training-jobs" | jq -r .id)"
for _ in $(seq 1 300); do
  STATE="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$JOB" | jq -r .state)"
  case "$STATE" in succeeded) break ;; failed|cancelled) die "the training job ended $STATE" ;; esac
  sleep 1
done
MODEL="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$JOB" | jq -r .model_id)"
as_postgres psql -qX -d "$BENCH_DB" -v ON_ERROR_STOP=1 >/dev/null <<SQL
insert into models (id, tenant_id, name, version, task, architecture, dataset_version_id, training_job_id,
  hyperparameters, evaluation, training_summary, data_summary, labels, artifact_key, artifact_sha256,
  artifact_size_bytes, status, metadata, created_by, created_at)
select 'mdl_bench' || lpad(n::text, 20, '0'), tenant_id, name, version + n, task, architecture, dataset_version_id,
  null, hyperparameters, evaluation, training_summary, data_summary, labels, artifact_key, artifact_sha256,
  artifact_size_bytes, status, metadata, created_by, created_at + n * interval '1 second'
from models, generate_series(1, $((MODELS - 1))) as n where id = '$MODEL';
SQL

log "Signing in to the portal as demo (Keycloak's login page, through curl)"
JAR="$(mktemp -t modelyard-portal-cookies-XXXX)"
LOGIN_PAGE="$(curl -fsS -L -c "$JAR" -b "$JAR" "$BENCH_URL/portal/t/$TENANT")"
ACTION="$(grep -o 'id="kc-form-login"[^>]*action="[^"]*"' <<<"$LOGIN_PAGE" | sed 's/.*action="\([^"]*\)"/\1/; s/&amp;/\&/g')"
[ -n "$ACTION" ] || die "no Keycloak login form"
curl -fsS -L -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode username=demo --data-urlencode password=demo "$ACTION"
grep -q q_session_portal "$JAR" || die "the portal did not sign the demo user in"

# page_times <path>: the server time of each of REQUESTS GETs of path, in milliseconds, after a warm-up.
page_times() {
  local url="$BENCH_URL$1" code
  for _ in $(seq 1 "$WARMUP"); do curl -fsS -o /dev/null -b "$JAR" "$url"; done
  for _ in $(seq 1 "$REQUESTS"); do
    curl -sS -o /dev/null -b "$JAR" -w '%{http_code} %{time_total}\n' "$url"
  done | awk -v url="$1" '$1 != 200 {print "GET " url " answered " $1 > "/dev/stderr"; exit 1} {printf "%.3f\n", $2 * 1000}'
}
percentile() { sort -g | awk -v p="$1" '{a[NR]=$1} END {i = int(NR * p + 0.999999); if (i < 1) i = 1; print a[i]}'; }

ALL="$(mktemp -t modelyard-portal-times-XXXX)"
for page in "datasets:/portal/t/$TENANT/datasets" "job:/portal/t/$TENANT/training-jobs/$JOB" \
    "model:/portal/t/$TENANT/models/$MODEL"; do
  name="${page%%:*}"; path="${page#*:}"
  times="$(page_times "$path")" || die "the $name page failed"
  echo "$times" >>"$ALL"
  log "$name page: p50 $(percentile 0.5 <<<"$times") ms, p95 $(percentile 0.95 <<<"$times") ms"
  echo "RESULT portal_${name}_p95_ms=$(percentile 0.95 <<<"$times")"
done

# What a first visit downloads: the scripts and the style sheet the job page links, compressed as browsers ask.
JOB_PAGE="$(curl -fsS -b "$JAR" "$BENCH_URL/portal/t/$TENANT/training-jobs/$JOB")"
ASSET_BYTES=0
for asset in $(grep -oE '(src|href)="/(webjars|portal/assets)/[^"]+\.(js|css)[^"]*"' <<<"$JOB_PAGE" | sed 's/^[a-z]*="//; s/"$//'); do
  read -r bytes encoding < <(curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' \
    -w '%{size_download} %header{content-encoding}\n' "$BENCH_URL$asset")
  log "$asset: $bytes bytes (${encoding:-not compressed})"
  ASSET_BYTES=$((ASSET_BYTES + bytes))
done
echo "RESULT portal_p95_ms=$(percentile 0.95 <"$ALL")"
echo "RESULT portal_asset_kb=$(awk -v b="$ASSET_BYTES" 'BEGIN {printf "%.1f", b / 1024}')"
