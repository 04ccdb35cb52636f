#!/usr/bin/env bash
# Training throughput of the platform against the engine's limit and against PyTorch, per architecture, in one
# sitting; then queue dispatch latency.
#
# For each architecture of ARCHITECTURES (default: all six the platform offers), the same generated data
# (io.modelyard.ml.BenchmarkSetup: text of LENGTH words, binary for lstm_classic, FEATURES numeric columns for
# mlp; validation a tenth of the training rows) is written once as a CSV (BenchDataExport) and trained three
# ways with the same network, sizes, initialisation, batch, epochs, optimizer (Adam, constant rate) and THREADS
# intra-op threads:
#   1. minimal: io.modelyard.ml.MinimalTrainingLoop, its own JVM — batches laid out on the device up front, then
#      forward, loss, backward, optimizer step; nothing else. The limit of the engine.
#   2. pytorch: bench/ml/train_pytorch.py (Debian's python3-torch) — the same networks in PyTorch on the same CSV,
#      its training loop alone timed. What a user would write instead.
#   3. platform: the CSV uploaded with its split column, a POST /v1/training-jobs run by the in-process worker,
#      rate = the job's samples_processed ÷ (finished_at − created_at): queueing, the dataset read from the blob
#      store, tokenising, per-epoch validation and checkpoints, test evaluation, the artifact, model registration
#      and usage are all inside it. A 1-epoch warm-up job runs first (loads the kernels, warms the JIT), as the
#      other two run 20 untimed steps.
# RSS of the platform (pre-touched fixed heap, so growth is native memory) is read before and after each measured
# job; the largest growth is train_native_memory_growth_mb. Canary jobs then measure enqueue-to-running latency.
#
# Settings (environment): ARCHITECTURES, THREADS (1), BATCH (64), LENGTH (32), VOCABULARY (5000), WIDTH (64),
# FEATURES (32), DISPATCH_JOBS (100; 0 skips), SAMPLES and EPOCHS (override the per-architecture sizes below),
# DEVICE=cpu|gpu (gpu: the platform jar and the minimal loop with PyTorch's CUDA engine — Maven profile gpu, as the
# GPU worker image — and the PyTorch script on cuda; set PYTHON to an interpreter whose torch has CUDA, Debian's
# has not), PYTHON (default: the first python3 with torch), BENCH_PORT, BENCH_DB, PLATFORM_OPTS (extra Java options
# for the platform, e.g. -Dmodelyard.training.checkpoint-interval=0s to checkpoint every epoch as before 30 s).
source "$(dirname "$0")/lib.sh"
ARCHITECTURES="${ARCHITECTURES:-bag_of_embeddings text_cnn bilstm lstm_classic transformer mlp}"
THREADS="${THREADS:-1}"
BATCH="${BATCH:-64}"
LENGTH="${LENGTH:-32}"
VOCABULARY="${VOCABULARY:-5000}"
WIDTH="${WIDTH:-64}"
FEATURES="${FEATURES:-32}"
DISPATCH_JOBS="${DISPATCH_JOBS:-100}"
DEVICE="${DEVICE:-cpu}"
case "$DEVICE" in cpu) TORCH_DEVICE=cpu ;; gpu) TORCH_DEVICE=cuda ;; *) die "DEVICE must be cpu or gpu" ;; esac
export DEVICE

# "<training rows> <epochs>" per architecture: about 10-20 s of training each on one core of the development
# machine, so that the whole run (builds aside) stays within 15 minutes on 2 cores.
sizes() {
  case "$1" in
    bag_of_embeddings) echo "20000 10" ;;
    text_cnn) echo "10000 3" ;;
    bilstm | lstm_classic | transformer) echo "5000 3" ;;
    mlp) echo "50000 10" ;;
    *) die "unknown architecture $1" ;;
  esac
}

ensure_jq
if [ -z "${PYTHON:-}" ]; then
  [ "$DEVICE" = gpu ] && die "DEVICE=gpu: set PYTHON to a python3 whose torch has CUDA (Debian's python3-torch has not)"
  ensure_python_torch
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import torch' >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
  [ -n "${PYTHON:-}" ] || die "no python3 with torch"
fi
ensure_jar
(cd "$REPO_DIR" && ./mvnw -q -B test-compile "$(bench_profiles)")
CP_FILE="$REPO_DIR/target/bench-classpath-$DEVICE.txt"
[ -s "$CP_FILE" ] || (cd "$REPO_DIR" && ./mvnw -q -B dependency:build-classpath "$(bench_profiles)" \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
CP="$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$CP_FILE")"
JVM=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1)
WORK="$(mktemp -d -t modelyard-train-XXXX)"

# shellcheck disable=SC2086 # PLATFORM_OPTS is a list of options
start_platform all "${JVM[@]}" -Dmodelyard.worker.threads=1 ${PLATFORM_OPTS:-}
trap 'kill $BENCH_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
KEY="$(new_tenant_key '["datasets:write","jobs:write","read"]')"
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$BENCH_PID/status"; }
ms='def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") as $c
  | (($c.s + "Z") | fromdateiso8601) * 1000 + (if $c.f then ("0." + $c.f | tonumber) * 1000 else 0 end);'

# train_job <architecture> <dataset version> <epochs>: starts a job with the benchmark's settings, waits for it,
# prints its id.
train_job() {
  local architecture="$1" version="$2" epochs="$3" text="" job state body
  [ "$architecture" = mlp ] || text="\"max_sequence_length\": $LENGTH, \"vocabulary_size\": $VOCABULARY,
    \"embedding_size\": $WIDTH, \"heads\": 4,"
  job="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "{
  \"dataset_version_id\": \"$version\", \"architecture\": \"$architecture\",
  \"hyperparameters\": {\"epochs\": $epochs, \"batch_size\": $BATCH, \"learning_rate\": 0.005, \"schedule\": \"constant\",
    \"optimizer\": \"adam\", \"weight_decay\": 0, \"dropout\": 0.1, \"early_stopping_patience\": 0, $text
    \"hidden_size\": $WIDTH, \"layers\": 1, \"seed\": 42, \"checkpoint_every_steps\": 0}}" \
  "$BENCH_URL/v1/training-jobs" | jq -r .id)"
  [ -n "$job" ] && [ "$job" != null ] || die "could not start a $architecture job"
  while :; do
    body="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$job")"
    state="$(jq -r .state <<<"$body")"
    case "$state" in
      succeeded) break ;;
      failed|cancelled) die "the $architecture training job ended $state: $(jq -c '.error // .failure // .' <<<"$body")" ;;
    esac
    sleep 0.2
  done
  echo "$job"
}

RESULTS=()
GROWTH=()
for ARCH in $ARCHITECTURES; do
  read -r SAMPLES_A EPOCHS_A <<<"$(sizes "$ARCH")"
  SAMPLES_A="${SAMPLES:-$SAMPLES_A}"
  EPOCHS_A="${EPOCHS:-$EPOCHS_A}"
  SETUP=(architecture="$ARCH" samples="$SAMPLES_A" epochs="$EPOCHS_A" batch="$BATCH" length="$LENGTH"
    vocabulary="$VOCABULARY" width="$WIDTH" features="$FEATURES")
  DATA="$WORK/$ARCH.csv"
  java -cp "$CP" io.modelyard.ml.BenchDataExport "${SETUP[@]}" out="$DATA" >/dev/null 2>&1 || die "export failed"

  log "$ARCH: minimal DJL loop (${SETUP[*]} threads=$THREADS device=$DEVICE)"
  MIN_OUT="$(java "${JVM[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
    io.modelyard.ml.MinimalTrainingLoop "${SETUP[@]}" device="$DEVICE" 2>/dev/null)"
  MIN_RATE="$(sed -n 's/^samples_per_s=//p' <<<"$MIN_OUT")"
  [ -n "$MIN_RATE" ] || die "the minimal loop printed no rate for $ARCH"

  log "$ARCH: PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)') ($PYTHON)"
  PT_OUT="$("$PYTHON" "$REPO_DIR/bench/ml/train_pytorch.py" --csv "$DATA" --architecture "$ARCH" \
    --epochs "$EPOCHS_A" --batch "$BATCH" --length "$LENGTH" --vocabulary "$VOCABULARY" --width "$WIDTH" \
    --threads "$THREADS" --device "$TORCH_DEVICE")"
  PT_RATE="$(sed -n 's/^samples_per_s=//p' <<<"$PT_OUT")"
  [ -n "$PT_RATE" ] || die "the PyTorch script printed no rate for $ARCH"

  log "$ARCH: platform job"
  if [ "$ARCH" = mlp ]; then
    QUERY="task=tabular_classification&label_column=topic&split_column=split"
  else
    QUERY="task=text_classification&text_column=text&label_column=topic&split_column=split"
  fi
  VERSION="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' --data-binary "@$DATA" \
    "$BENCH_URL/v1/datasets?name=bench-$ARCH&$QUERY" | jq -r .latest_version.id)"
  [ -n "$VERSION" ] && [ "$VERSION" != null ] || die "upload of the $ARCH data failed"
  train_job "$ARCH" "$VERSION" 1 >/dev/null
  RSS_BEFORE="$(rss_mb)"
  JOB="$(train_job "$ARCH" "$VERSION" "$EPOCHS_A")"
  RSS_AFTER="$(rss_mb)"
  TRAINING_JOB="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$JOB")"
  MODEL="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/models/$(jq -r .model_id <<<"$TRAINING_JOB")")"
  PLATFORM_RATE="$(jq -r --argjson m "$MODEL" "$ms"'
    $m.training.samples_processed / (((.finished_at | ms) - (.created_at | ms)) / 1000)' <<<"$TRAINING_JOB")"
  # Where the job's wall time went, from its events (to stderr: a reading aid, not a result).
  curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/jobs/$JOB/events?limit=100" | jq -r --argjson j \
    "$TRAINING_JOB" "$ms"'.data[] | "  +\((((.created_at | ms) - ($j.created_at | ms)) / 1000)) s \(.type) \(.data | tostring | .[0:100])"' >&2 || true
  log "$ARCH: minimal $MIN_RATE, pytorch $PT_RATE, platform $PLATFORM_RATE samples/s (test accuracy $(jq -r \
    .evaluation.classification.accuracy <<<"$MODEL")); platform RSS $RSS_BEFORE → $RSS_AFTER MB"
  echo "train_$ARCH samples=$SAMPLES_A epochs=$EPOCHS_A minimal_samples_per_s=$MIN_RATE" \
    "pytorch_samples_per_s=$PT_RATE platform_samples_per_s=$PLATFORM_RATE" \
    "platform_rss_mb_before=$RSS_BEFORE platform_rss_mb_after=$RSS_AFTER"
  GROWTH+=("$(awk -v b="$RSS_BEFORE" -v a="$RSS_AFTER" 'BEGIN {printf "%.1f", a - b}')")
  RESULTS+=("$(awk -v a="$ARCH" -v p="$PLATFORM_RATE" -v m="$MIN_RATE" -v t="$PT_RATE" 'BEGIN {
    printf "RESULT train_vs_minimal_%s=%.3f\nRESULT train_vs_pytorch_%s=%.3f", a, p / m, a, p / t }')")
done

if [ "$DISPATCH_JOBS" -gt 0 ]; then
  log "Queue dispatch ($DISPATCH_JOBS canary jobs)"
  DISPATCH=()
  for ((i = 0; i < DISPATCH_JOBS; i++)); do
    ID="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"type":"noop"}' \
      "$BENCH_URL/v1/jobs" | jq -r .id)"
    for _ in $(seq 1 100); do
      J="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/jobs/$ID")"
      [ "$(jq -r .state <<<"$J")" = succeeded ] && break
      sleep 0.05
    done
    DISPATCH+=("$(jq -r "$ms"' (.started_at | ms) - (.created_at | ms)' <<<"$J")")
  done
  DISPATCH_P50="$(printf '%s\n' "${DISPATCH[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')"
fi

echo "threads=$THREADS device=$DEVICE batch=$BATCH length=$LENGTH vocabulary=$VOCABULARY width=$WIDTH" \
  "load_average=$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${RESULTS[@]}"
printf '%s\n' "${GROWTH[@]}" | sort -g | tail -1 | sed 's/^/RESULT train_native_memory_growth_mb=/'
[ -z "${DISPATCH_P50:-}" ] || echo "RESULT queue_dispatch_p50_ms=$DISPATCH_P50"
