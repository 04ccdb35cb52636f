#!/usr/bin/env bash
# The fault suite: real processes, a real PostgreSQL that is restarted, a blob store that fails, workers and API
# processes killed, and a thousand malformed uploads. Each scenario checks what a customer would: every answer is
# a success, a 4xx, or a 503 with Retry-After (never a 500); every answered prediction is billed exactly once;
# every job ends as it should; nothing half-recorded is left.
#
# It runs against a PostgreSQL cluster of its own (port $CHAOS_PG_PORT, created with pg_createcluster when
# missing), so restarting it disturbs nothing else on the machine.
#
# Prints RESULT chaos_scenarios_passed=<n>/<total>, usage_lost, usage_double, jobs_lost and fuzz_5xx.
BENCH_PORT="${BENCH_PORT:-8094}"
BENCH_DB="${BENCH_DB:-modelyard_chaos}"
source "$(dirname "$0")/lib.sh"
CHAOS_PG_PORT="${CHAOS_PG_PORT:-5433}"
WORKER_PORT="${WORKER_PORT:-8095}"
FUZZ_BODIES="${FUZZ_BODIES:-1000}"
WORK="$(mktemp -d -t modelyard-chaos-XXXX)"
JDBC="jdbc:postgresql://localhost:$CHAOS_PG_PORT/$BENCH_DB"
PASSED=0; TOTAL=0; USAGE_LOST=0; USAGE_DOUBLE=0; JOBS_LOST=0; FUZZ_5XX=0
PIDS=()

command -v jq >/dev/null || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
# The chaos cluster is dropped at the end: it must not outlive the suite (dev/ and CI use the main cluster).
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -z "${CHAOS_PG_VERSION:-}" ] || as_root pg_dropcluster --stop "$CHAOS_PG_VERSION" chaos 2>/dev/null || true
}
trap cleanup EXIT

# --- A PostgreSQL cluster of the chaos suite's own, restarted at will.
ensure_chaos_cluster() {
  (unset PGPORT; ensure_postgres)   # the packages, and the main cluster for everything else
  local version; version="$(pg_lsclusters --no-header | awk '$2 == "main" {print $1}' | head -n1)"
  [ -n "$version" ] || version="$(pg_lsclusters --no-header | head -n1 | awk '{print $1}')"
  CHAOS_PG_VERSION="$version"
  if ! pg_lsclusters --no-header | awk '{print $2}' | grep -qx chaos; then
    log "Creating PostgreSQL cluster $version/chaos on port $CHAOS_PG_PORT"
    as_root pg_createcluster "$version" chaos --port "$CHAOS_PG_PORT" >/dev/null
  fi
  as_root pg_ctlcluster "$version" chaos start 2>/dev/null || true
  export PGPORT="$CHAOS_PG_PORT"   # from here on, psql (sql, ensure_database) talks to the chaos cluster
  for _ in $(seq 1 30); do as_postgres psql -qtAc 'select 1' >/dev/null 2>&1 && return 0; sleep 1; done
  die "the chaos cluster does not answer"
}
restart_postgres() { as_root pg_ctlcluster "$CHAOS_PG_VERSION" chaos restart -m fast; }
sql() { as_postgres psql -qtAX -d "$BENCH_DB" -c "$1"; }

# start_process <role> <port> [java options...]: a platform process on the chaos database; prints its pid.
start_process() {
  local role="$1" port="$2"; shift 2
  java -Xmx768m "$@" -Dmodelyard.role="$role" -Dquarkus.http.port="$port" -Dquarkus.datasource.jdbc.url="$JDBC" \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN -Dmodelyard.internal.token=chaos-token \
    -Dmodelyard.serving.worker-url="http://localhost:$WORKER_PORT" -Dmodelyard.storage.dir="$WORK/blobs" \
    -Dmodelyard.datasets.sweep.grace=0s -Dmodelyard.datasets.sweep.interval=5s \
    -Dquarkus.datasource.jdbc.acquisition-timeout=3S -Dai.djl.pytorch.num_threads=1 \
    -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >>"$WORK/$role-$port.log" 2>&1 &
  PIDS+=($!)
  echo $!
}
await_ready() { wait_for_url "http://localhost:$1/q/health/ready" 180 "Modelyard on :$1"; }

scenario() { # name command...
  local name="$1"; shift
  TOTAL=$((TOTAL + 1))
  log "Scenario: $name"
  if "$@"; then PASSED=$((PASSED + 1)); log "PASS $name"; else log "FAIL $name"; fi
}

# load <seconds> <parallel> <command-producing-status-lines>: runs a request loop, one status per line.
load() {
  local seconds="$1" parallel="$2" out="$3"; shift 3
  local end=$((SECONDS + seconds)) i
  for ((i = 0; i < parallel; i++)); do
    (while ((SECONDS < end)); do "$@"; done >>"$out.$i") &
  done
  wait
  cat "$out".* >"$out"
}
# no500 <file of "status ..." lines> <what>: true when no answer was a 5xx other than 503, and none timed out
# (curl's 000: a request left hanging is no clean failure either).
no500() {
  local bad; bad="$(awk '($1 >= 500 && $1 != 503) || $1 == "000"' "$1" | wc -l)"
  log "$2: $(awk '{print $1}' "$1" | sort | uniq -c | tr '\n' ' ')"
  [ "$bad" -eq 0 ]
}

ensure_jar
ensure_chaos_cluster
ensure_database "$BENCH_DB" recreate
ensure_keycloak
API_PID="$(start_process all "$BENCH_PORT")"
await_ready "$BENCH_PORT"
KEY="$(new_tenant_key '["read","datasets:write","jobs:write","predict"]')"
TENANT="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping" | jq -r .tenant_id)"
auth=(-H "Authorization: Bearer $KEY")

log "Training the model the scenarios predict with"
for i in $(seq 1 300); do
  case $((i % 3)) in 0) echo "match goal team season player $i,sport" ;; 1) echo "vote senate law minister party $i,politics" ;;
    *) echo "atom cell lab theory experiment $i,science" ;; esac
done | sed '1i text,label' >"$WORK/topics.csv"
VERSION="$(curl -fsS "${auth[@]}" -H 'Content-Type: text/csv' --data-binary @"$WORK/topics.csv" \
  "$BENCH_URL/v1/datasets?name=topics&task=text_classification" | jq -r .latest_version.id)"
train() { # epochs -> job id
  curl -fsS "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"dataset_version_id\":\"$VERSION\",\"architecture\":\"text_cnn\",\"hyperparameters\":{\"epochs\":$1,\"batch_size\":8}}" \
    "$BENCH_URL/v1/training-jobs" | jq -r .id
}
await_job() { # id seconds -> final state
  local state
  for _ in $(seq 1 "$2"); do
    state="$(curl -sS "${auth[@]}" "$BENCH_URL/v1/jobs/$1" | jq -r '.state // empty' 2>/dev/null)"
    case "$state" in succeeded|failed|cancelled) echo "$state"; return ;; esac
    sleep 1
  done
  echo "${state:-unknown}"
}
# await_running <job id>: until the job has trained a while on a worker (so a fault meets it mid-run).
await_running() {
  local progress
  for _ in $(seq 1 120); do
    progress="$(curl -sS "${auth[@]}" "$BENCH_URL/v1/jobs/$1" | jq -r 'select(.state == "running") | .progress // 0' 2>/dev/null)"
    [ -n "$progress" ] && awk -v p="$progress" 'BEGIN {exit !(p >= 5)}' && return 0
    sleep 1
  done
  die "job $1 never got going"
}
attempt_of() { curl -fsS "${auth[@]}" "$BENCH_URL/v1/jobs/$1" | jq -r .attempt; }
JOB="$(train 2)"
[ "$(await_job "$JOB" 300)" = succeeded ] || die "the first model did not train"
MODEL="$(curl -fsS "${auth[@]}" "$BENCH_URL/v1/training-jobs/$JOB" | jq -r .model_id)"

# --- 1. PostgreSQL restarted under prediction load: no 500; every answered prediction billed once.
# (The answer's file is named once, here: a pipeline or $(...) would see another $BASHPID.)
predict_once() {
  local answer="$WORK/p.$BASHPID.json"
  curl -sS -o "$answer" -w '%{http_code}\n' "${auth[@]}" -H 'Content-Type: application/json' \
    -d '{"inputs":["the team scored a goal"]}' "$BENCH_URL/v1/models/$MODEL/predict" --max-time 30 | tr -d '\n'
  echo " $(jq -r '.id // empty' "$answer" 2>/dev/null)"
  rm -f "$answer"
}
scenario_predictions() {
  (sleep 6; restart_postgres) &
  load 20 4 "$WORK/predict" predict_once
  wait
  sleep 10   # the ledger catches up
  local answered billed lost double
  answered="$(awk '$1 == 200 && $2 != "" {print $2}' "$WORK/predict" | sort -u)"
  billed="$(sql "select substring(idempotency_key from 12) from usage_events where tenant_id = '$TENANT'
    and meter = 'predictions' and idempotency_key like 'prediction:%'" | sort)"
  lost="$(comm -23 <(echo "$answered") <(echo "$billed" | sort -u) | grep -c . || true)"
  double="$(sql "select count(*) - count(distinct idempotency_key) from usage_events where tenant_id = '$TENANT'
    and meter = 'predictions'")"
  USAGE_LOST=$((USAGE_LOST + lost)); USAGE_DOUBLE=$((USAGE_DOUBLE + double))
  log "predictions answered: $(echo "$answered" | grep -c .), lost from the ledger: $lost, billed twice: $double"
  no500 "$WORK/predict" "predictions during a PostgreSQL restart" && [ "$lost" -eq 0 ] && [ "$double" -eq 0 ]
}
scenario "PostgreSQL restarted under prediction load" scenario_predictions

# --- 2. PostgreSQL restarted during training: the job still succeeds.
scenario_training() {
  local job state
  job="$(train 300)"
  await_running "$job"; restart_postgres
  state="$(await_job "$job" 900)"
  log "training job $job after the restart: $state (attempt $(attempt_of "$job"))"
  [ "$state" = succeeded ] || { JOBS_LOST=$((JOBS_LOST + 1)); return 1; }
}
scenario "PostgreSQL restarted during training" scenario_training

# --- 3. PostgreSQL restarted during uploads: no 500, and every 201 is a dataset (nothing half-written).
upload_once() {
  local answer="$WORK/u.$BASHPID.json"
  curl -sS -o "$answer" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: text/csv' \
    --data-binary @"$WORK/topics.csv" "$BENCH_URL/v1/datasets?name=during-restart&task=text_classification" \
    --max-time 60
  echo " $(jq -r '.id // empty' "$answer" 2>/dev/null)"
  rm -f "$answer"
}
scenario_uploads() {
  (sleep 4; restart_postgres) &
  load 15 2 "$WORK/upload" upload_once
  wait
  local created listed
  created="$(awk '$1 == 201 {print $2}' "$WORK/upload" | sort -u | grep -c . || true)"
  listed="$(sql "select count(*) from datasets where tenant_id = '$TENANT' and name = 'during-restart'")"
  log "uploads answered 201: $created, datasets recorded: $listed"
  no500 "$WORK/upload" "uploads during a PostgreSQL restart" && [ "$created" -eq "$listed" ]
}
scenario "PostgreSQL restarted during uploads" scenario_uploads

# --- 4. The blob store fails under uploads (its tenant directory becomes a file): 503s, nothing half-recorded.
scenario_blob_store() {
  local dir="$WORK/blobs/tenants/$TENANT" before after
  before="$(sql "select count(*) from datasets where tenant_id = '$TENANT'")"
  # (moved out of the store's root: a sibling under tenants/ would be listed, and swept, as orphaned blobs)
  mv "$dir" "$WORK/away-$TENANT" && touch "$dir"
  load 5 2 "$WORK/blobfail" upload_once
  rm "$dir" && mv "$WORK/away-$TENANT" "$dir"
  after="$(sql "select count(*) from datasets where tenant_id = '$TENANT'")"
  log "datasets before: $before, after: $after"
  no500 "$WORK/blobfail" "uploads while the blob store fails" && [ "$before" -eq "$after" ] \
    && awk '$1 != 503 {bad = 1} END {exit bad}' "$WORK/blobfail"
}
scenario "The blob store fails during uploads" scenario_blob_store

# --- 5. A worker killed (-9) and one stopped (TERM) during training: the job resumes on the next worker.
scenario_workers() {
  local worker job state
  kill -TERM "$API_PID"; sleep 3
  API_PID="$(start_process api "$BENCH_PORT")"
  worker="$(start_process worker "$WORKER_PORT")"
  await_ready "$BENCH_PORT"; await_ready "$WORKER_PORT"
  job="$(train 300)"
  await_running "$job"; kill -9 "$worker"; log "killed worker $worker (-9) at attempt $(attempt_of "$job")"
  worker="$(start_process worker "$WORKER_PORT")"; await_ready "$WORKER_PORT"
  # the lost worker's lease runs out, then the new worker resumes from the last checkpoint
  for _ in $(seq 1 180); do [ "$(attempt_of "$job")" -ge 2 ] && break; sleep 1; done
  await_running "$job"; kill -TERM "$worker"; log "stopped worker $worker (TERM) at attempt $(attempt_of "$job")"
  sleep 5
  worker="$(start_process worker "$WORKER_PORT")"; await_ready "$WORKER_PORT"
  state="$(await_job "$job" 900)"
  log "training job $job after a killed and a stopped worker: $state, attempts $(attempt_of "$job")"
  # the kill met a running attempt (the next one resumed it); the job ends well
  [ "$state" = succeeded ] && [ "$(attempt_of "$job")" -ge 2 ] || { JOBS_LOST=$((JOBS_LOST + 1)); return 1; }
}
scenario "Workers killed and stopped during training" scenario_workers

# --- 6. The API killed (-9) in the middle of a large upload: no dataset, and the sweeper removes what it wrote.
scenario_api_killed() {
  local big="$WORK/big.csv" before after
  { echo "text,label"; for i in $(seq 1 400000); do echo "some longer review text number $i with words,$((i % 3))"; done; } >"$big"
  before="$(sql "select count(*) from datasets where tenant_id = '$TENANT'")"
  curl -sS -o /dev/null "${auth[@]}" -H 'Content-Type: text/csv' --limit-rate 2M --data-binary @"$big" \
    "$BENCH_URL/v1/datasets?name=killed&task=text_classification" --max-time 120 &
  sleep 4; kill -9 "$API_PID"; log "killed the API (-9) during the upload"; wait || true
  API_PID="$(start_process api "$BENCH_PORT")"; await_ready "$BENCH_PORT"
  sleep 12   # the sweeper (every 5 s here, grace 0) deletes blobs no version names
  after="$(sql "select count(*) from datasets where tenant_id = '$TENANT'")"
  local orphans; orphans="$(find "$WORK/blobs/tenants/$TENANT" -type f -newer "$big" 2>/dev/null | wc -l)"
  log "datasets before: $before, after: $after, blobs left from the killed upload: $orphans"
  [ "$before" -eq "$after" ] && [ "$orphans" -eq 0 ]
}
scenario "The API killed during an upload" scenario_api_killed

# --- 7. A thousand malformed uploads: every answer a 4xx problem+json.
scenario_fuzz() {
  local cp_file="$REPO_DIR/target/bench-classpath.txt" out
  (cd "$REPO_DIR" && ./mvnw -q -B test-compile -Pbench >/dev/null)
  [ -s "$cp_file" ] || (cd "$REPO_DIR" && ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >/dev/null)
  out="$(java -cp "$REPO_DIR/target/test-classes:$(cat "$cp_file")" io.modelyard.testing.MalformedUploads \
    "$BENCH_URL" "$KEY" "$FUZZ_BODIES" 2>"$WORK/fuzz.err")"
  echo "$out" | grep -v '^RESULT' >&2
  FUZZ_5XX="$(sed -n 's/^RESULT fuzz_5xx=//p' <<<"$out")"
  local leftover; leftover="$(sql "select count(*) from datasets where tenant_id = '$TENANT' and created_at > now() - interval '10 minutes' and name not in ('during-restart', 'topics')")"
  log "malformed uploads kept as datasets: $leftover"
  [ "${FUZZ_5XX:-1}" -eq 0 ] && [ "$(sed -n 's/^RESULT fuzz_not_problem=//p' <<<"$out")" -eq 0 ] && [ "$leftover" -eq 0 ]
}
scenario "$FUZZ_BODIES malformed uploads" scenario_fuzz

log "Logs of the processes: $WORK"
echo "RESULT chaos_scenarios_passed=$PASSED/$TOTAL"
echo "RESULT usage_lost=$USAGE_LOST"
echo "RESULT usage_double=$USAGE_DOUBLE"
echo "RESULT jobs_lost=$JOBS_LOST"
echo "RESULT fuzz_5xx=${FUZZ_5XX:-unknown}"
