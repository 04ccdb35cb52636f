#!/usr/bin/env bash
# A tenant's data lifecycle, end to end on a real platform process: export everything, then erase everything.
#
# A tenant with DATASETS datasets and MODELS trained models (plus an alias, keys, a second member, predictions,
# usage and audit events) is exported; the archive's manifest is compared with what the API lists. Then an
# operator deletes it with no grace period, and its purge is killed with SIGKILL halfway (the platform process
# dies; a new one finishes the purge). A second tenant's rows and blobs are fingerprinted before and compared
# after. Finally the same CSV is uploaded to a process with blob encryption on and one with it off, alternating.
#
# Prints:
#   RESULT erasure_rows_left=            rows of the erased tenant outside the kept billing records (goal 0)
#   RESULT erasure_blobs_left=           blobs under the tenant's prefix (goal 0)
#   RESULT erasure_other_tenant_changes= rows and blobs of the other tenant that changed (goal 0)
#   RESULT export_completeness=          files in the export's manifest for the objects the API lists ÷ those
#                                        objects (goal 1.0)
#   RESULT encrypted_ingest_ratio=       uploads/s with encryption ÷ without, same run (goal >= 0.9)
source "$(dirname "$0")/lib.sh"
DATASETS="${DATASETS:-50}"
MODELS="${MODELS:-20}"
UPLOADS="${UPLOADS:-10}"
UPLOAD_ROWS="${UPLOAD_ROWS:-200000}"

command -v jq >/dev/null || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
WORK="$(mktemp -d -t modelyard-lifecycle-XXXX)"
BLOBS="$WORK/blobs"
PLATFORM_OPTIONS=(-Dmodelyard.storage.dir="$BLOBS" -Dmodelyard.tenants.erasure.interval=1s
  -Dmodelyard.tenants.erasure.batch-size=5)

start_platform all "${PLATFORM_OPTIONS[@]}"
token_of() {
  curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username="$1" -d password="$1" \
    "$(keycloak_realm_url)/protocol/openid-connect/token" | jq -r .access_token
}
TOKEN="$(token_of demo)"
OPERATOR="$(token_of operator)"
sql() { as_postgres psql -qtAX -d "$BENCH_DB" -c "$1"; }

new_tenant() { # name -> tenant id
  local tenant
  tenant="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\"}" "$BENCH_URL/v1/tenants" | jq -r .id)"
  bench_plan_for "$tenant"
  echo "$tenant"
}
key_of() { # tenant scopes-json -> secret
  curl -fsS -H "Authorization: Bearer $TOKEN" -H "Modelyard-Tenant: $1" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"scopes\":$2}" "$BENCH_URL/v1/api-keys" | jq -r .secret
}

CSV="$WORK/topics.csv"
{
  echo "text,label"
  for i in $(seq 1 90); do
    case $((i % 3)) in 0) echo "match goal team season $i,sport" ;; 1) echo "vote senate law minister $i,politics" ;;
      *) echo "atom cell lab theory $i,science" ;; esac
  done
} >"$CSV"

fill_tenant() { # tenant key datasets models
  local tenant="$1" key="$2" datasets="$3" models="$4" version job state i
  log "Tenant $tenant: $datasets datasets, $models models"
  export KEY="$key" CSV BENCH_URL
  seq 1 "$datasets" | xargs -P 4 -I{} sh -c 'curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" \
    -H "Content-Type: text/csv" --data-binary "@$CSV" "$BENCH_URL/v1/datasets?name=set-{}&task=text_classification" \
    || echo "upload {} failed" >&2'
  version="$(curl -fsS -H "Authorization: Bearer $key" "$BENCH_URL/v1/datasets?limit=1" | jq -r '.data[0].latest_version.id')"
  for i in $(seq 1 "$models"); do
    job="$(curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{\"dataset_version_id\":
      \"$version\",\"hyperparameters\":{\"epochs\":1,\"embedding_size\":16,\"hidden_size\":16,\"layers\":1,\"heads\":2,
      \"max_sequence_length\":16,\"vocabulary_size\":300}}" "$BENCH_URL/v1/training-jobs" | jq -r .id)"
    for _ in $(seq 1 600); do
      state="$(curl -fsS -H "Authorization: Bearer $key" "$BENCH_URL/v1/training-jobs/$job" | jq -r .state)"
      case "$state" in succeeded) break ;; failed|cancelled) die "training job $job ended $state" ;; esac
      sleep 0.5
    done
  done
  MODEL="$(curl -fsS -H "Authorization: Bearer $key" "$BENCH_URL/v1/models?limit=1" | jq -r '.data[0].id')"
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"model_id\":\"$MODEL\"}" "$BENCH_URL/v1/model-aliases/production"
  for _ in $(seq 1 20); do
    curl -fsS -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d '{"inputs":["the match ended in a draw"]}' "$BENCH_URL/v1/models/production/predict"
  done
}

VICTIM="$(new_tenant "Leaving $(date +%s)")"
VICTIM_KEY="$(key_of "$VICTIM" '["datasets:write","jobs:write","read","predict","admin"]')"
fill_tenant "$VICTIM" "$VICTIM_KEY" "$DATASETS" "$MODELS"
BYSTANDER="$(new_tenant "Staying $(date +%s)")"
BYSTANDER_KEY="$(key_of "$BYSTANDER" '["datasets:write","jobs:write","read","predict","admin"]')"
fill_tenant "$BYSTANDER" "$BYSTANDER_KEY" 5 2

# --- the other tenant's fingerprint: its rows (all but what the platform keeps writing: metering) and blobs
tenant_tables() {
  sql "select c.table_name from information_schema.columns c join information_schema.tables t
         using (table_schema, table_name)
        where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
        order by 1"
}
fingerprint() { # tenant -> one line per table and per blob
  local tenant="$1" table
  for table in $(tenant_tables); do
    case "$table" in usage_*|quota_*) continue ;; esac
    # last_used_at moves whenever a key is used: that is the key in use, not the erasure touching it
    echo "$table $(sql "select md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, '|'
                          order by (to_jsonb(t) - 'last_used_at')::text), '')) from $table t
                          where tenant_id = '$tenant'")"
  done
  # the ledger only grows (storage is sampled, usage aggregated): every event before must still be there
  sql "select id from usage_events where tenant_id = '$tenant' order by id" >"$WORK/ledger-$tenant-$(date +%s%N).txt"
  (cd "$BLOBS" && find "tenants/$tenant" -type f -print0 2>/dev/null | sort -z | xargs -0 -r sha256sum)
}
BEFORE="$WORK/bystander-before.txt"
fingerprint "$BYSTANDER" >"$BEFORE"

# --- export
export_completeness() {
  local export_id state listed archive
  export_id="$(curl -sS -H "Authorization: Bearer $TOKEN" -H "Modelyard-Tenant: $VICTIM" \
    -H 'Content-Type: application/json' -d '{}' "$BENCH_URL/v1/tenant-exports" | jq -r '.id // empty')"
  if [ -z "$export_id" ]; then
    log "This build has no tenant export (POST /v1/tenant-exports)"
    echo 0
    return
  fi
  for _ in $(seq 1 600); do
    state="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H "Modelyard-Tenant: $VICTIM" \
      "$BENCH_URL/v1/tenant-exports/$export_id" | jq -r .state)"
    case "$state" in succeeded) break ;; failed|cancelled|expired) die "the export ended $state" ;; esac
    sleep 1
  done
  archive="$WORK/export.zip"
  curl -fsS -o "$archive" -H "Authorization: Bearer $TOKEN" -H "Modelyard-Tenant: $VICTIM" \
    "$BENCH_URL/v1/tenant-exports/$export_id/download"
  (cd "$WORK" && rm -rf export && mkdir export && cd export && unzip -q ../export.zip)
  # every file the manifest names is in the archive with its size and digest
  jq -r '.files[] | "\(.sha256)  \(.path)"' "$WORK/export/manifest.json" >"$WORK/manifest.sha256"
  (cd "$WORK/export" && sha256sum --quiet -c ../manifest.sha256) || die "the export's manifest does not match its files"
  listed=0; found=0
  local objects
  objects="$( { all_ids /v1/datasets | while read -r dataset; do all_ids "/v1/datasets/$dataset/versions"; done
                all_ids /v1/models; } )"
  for id in $objects; do
    listed=$((listed + 1))
    if jq -e --arg id "$id" '[.files[].path | select(contains($id))] | length > 0' "$WORK/export/manifest.json" \
        >/dev/null; then
      found=$((found + 1))
    else
      log "Not in the export: $id"
    fi
  done
  log "Export: $found of $listed listed datasets, versions and models are in the archive"
  awk -v f="$found" -v l="$listed" 'BEGIN { printf "%.3f\n", (l == 0 ? 0 : f / l) }'
}
all_ids() { # path -> every id of a cursor-paged list
  local path="$1" after="" page
  while :; do
    page="$(curl -fsS -H "Authorization: Bearer $VICTIM_KEY" "$BENCH_URL$path?limit=100${after:+&after=$after}")"
    jq -r '.data[].id' <<<"$page"
    [ "$(jq -r .has_more <<<"$page")" = "true" ] || break
    after="$(jq -r '.data[-1].id' <<<"$page")"
  done
}
EXPORT_COMPLETENESS="$(export_completeness | tail -n1)"

# --- erasure, killed halfway
log "Deleting tenant $VICTIM with no grace period"
NAME="$(curl -fsS -H "Authorization: Bearer $OPERATOR" "$BENCH_URL/v1/admin/tenants/$VICTIM" | jq -r .name)"
curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $OPERATOR" -G --data-urlencode "confirm=$NAME" \
  --data-urlencode "grace=PT0S" "$BENCH_URL/v1/admin/tenants/$VICTIM"
KEPT="usage_events usage_daily plan_changes credit_grants billing_accounts tenant_data_keys"
ROWS_SQL="select $(for table in $(tenant_tables); do
  case " $KEPT " in *" $table "*) continue ;; esac
  printf "(select count(*) from %s where tenant_id = '%s') + " "$table" "$VICTIM"; done) 0"
rows_of_victim() { sql "$ROWS_SQL"; }
START_ROWS="$(rows_of_victim)"
log "The purge begins ($START_ROWS rows); killing the platform with SIGKILL once it is part-way"
for _ in $(seq 1 600); do
  NOW_ROWS="$(rows_of_victim)"
  if [ "$NOW_ROWS" -lt "$START_ROWS" ] && [ "$NOW_ROWS" -gt 0 ]; then break; fi
  sleep 0.02
done
kill -9 "$BENCH_PID"
wait "$BENCH_PID" 2>/dev/null || true
log "Killed with $(rows_of_victim) of $START_ROWS rows left; starting a new process"
java -Xmx1g "${PLATFORM_OPTIONS[@]}" -Dmodelyard.role=all -Dquarkus.http.port="$BENCH_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
  -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
  -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >>"$BENCH_LOG" 2>&1 &
BENCH_PID=$!
wait_for_url "$BENCH_URL/q/health/ready" 120 "Modelyard"
for _ in $(seq 1 300); do
  [ "$(sql "select status from tenants where id = '$VICTIM'")" = "erased" ] && break
  sleep 1
done
[ "$(sql "select status from tenants where id = '$VICTIM'")" = "erased" ] || die "the purge did not finish"
ROWS_LEFT="$(rows_of_victim)"
BLOBS_LEFT="$( (find "$BLOBS/tenants/$VICTIM" -type f 2>/dev/null || true) | wc -l)"
AFTER="$WORK/bystander-after.txt"
fingerprint "$BYSTANDER" >"$AFTER"
# a table or blob whose fingerprint differs (a table line is "<table> <md5>", a blob line "<sha256>  <path>")
OTHER_CHANGES="$(comm -3 <(sort "$BEFORE") <(sort "$AFTER") | awk '{ print ($1 ~ /^[0-9a-f]{64}$/ ? $2 : $1) }' \
  | sort -u | wc -l)"
LEDGERS=($(ls "$WORK"/ledger-"$BYSTANDER"-*.txt | sort))
LEDGER_LOST="$(comm -23 "${LEDGERS[0]}" "${LEDGERS[-1]}" | wc -l)"
OTHER_CHANGES=$((OTHER_CHANGES + LEDGER_LOST))
log "The other tenant: $(wc -l <"$BEFORE") rows-per-table and blob fingerprints compared"

# --- encryption's cost on ingest: two processes on the same database, one with blob encryption on and one off
start_on() { # port encryption-enabled
  java -Xmx1g "${PLATFORM_OPTIONS[@]}" -Dmodelyard.encryption.enabled="$2" -Dmodelyard.role=all \
    -Dquarkus.http.port="$1" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
    -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >>"$BENCH_LOG" 2>&1 &
  echo $!
}
upload_nanos() { # port name -> nanoseconds the upload took
  local started
  started="$(date +%s%N)"
  curl -fsS -o /dev/null -H "Authorization: Bearer $BYSTANDER_KEY" -H "Content-Type: text/csv" \
    --data-binary "@$WORK/big.csv" "http://localhost:$1/v1/datasets?name=$2&task=text_classification" \
    || die "upload $2 failed"
  echo $(( $(date +%s%N) - started ))
}
encrypted_ingest_ratio() {
  if ! grep -q "modelyard.encryption.enabled" "$REPO_DIR/README.md"; then
    log "This build has no blob encryption"
    echo 0
    return
  fi
  local on_port=$((BENCH_PORT + 1)) off_port=$((BENCH_PORT + 2)) on_pid off_pid plain=0 encrypted=0 round
  {
    echo "text,label"
    awk -v n="$UPLOAD_ROWS" 'BEGIN { srand(7); for (i = 0; i < n; i++)
      printf "word%d text%d and some more words of a review %d,%s\n", i, int(rand() * 1000), i, (i % 2 ? "pos" : "neg") }'
  } >"$WORK/big.csv"
  on_pid="$(start_on "$on_port" true)"
  off_pid="$(start_on "$off_port" false)"
  trap 'kill $BENCH_PID $on_pid $off_pid 2>/dev/null || true' EXIT
  wait_for_url "http://localhost:$on_port/q/health/ready" 120 "Modelyard (encryption on)"
  wait_for_url "http://localhost:$off_port/q/health/ready" 120 "Modelyard (encryption off)"
  upload_nanos "$on_port" warm-on >/dev/null
  upload_nanos "$off_port" warm-off >/dev/null
  log "Uploading $(du -h "$WORK/big.csv" | cut -f1) $UPLOADS times to each, alternating"
  for round in $(seq 1 "$UPLOADS"); do
    encrypted=$((encrypted + $(upload_nanos "$on_port" "on-$round")))
    plain=$((plain + $(upload_nanos "$off_port" "off-$round")))
  done
  log "Encryption on: $((encrypted / UPLOADS / 1000000)) ms per upload; off: $((plain / UPLOADS / 1000000)) ms"
  kill "$on_pid" "$off_pid" 2>/dev/null || true
  awk -v p="$plain" -v e="$encrypted" 'BEGIN { printf "%.3f\n", p / e }'
}
ENCRYPTED_INGEST_RATIO="$(encrypted_ingest_ratio | tail -n1)"

echo "RESULT erasure_rows_left=$ROWS_LEFT"
echo "RESULT erasure_blobs_left=$BLOBS_LEFT"
echo "RESULT erasure_other_tenant_changes=$OTHER_CHANGES"
echo "RESULT export_completeness=$EXPORT_COMPLETENESS"
echo "RESULT encrypted_ingest_ratio=$ENCRYPTED_INGEST_RATIO"
