#!/usr/bin/env bash
# Training throughput of the platform against bare DJL, and queue dispatch latency, in one run.
#
# The same generated text data (BenchmarkSetup: SAMPLES training rows of LENGTH words, a tenth as many for
# validation) is trained twice with the same network, batch size, epochs, optimizer and THREADS PyTorch threads:
#   1. bare: DJL's EasyTrain.fit on pre-padded arrays (io.modelyard.ml.BareTrainingBaseline), its own JVM;
#   2. platform: the data uploaded as a CSV with its split column, a POST /v1/training-jobs, and the job run by
#      the in-process worker (queue, dataset read from the blob store, events, checkpoints every epoch, test
#      evaluation, artifact, model registration, usage), timed from the job's created_at to its finished_at.
# Then canary jobs measure enqueue-to-running latency (see bench/queue.sh). RSS of the platform process is read
# before and after the training job, on a pre-touched fixed heap, so its growth is native memory.
source "$(dirname "$0")/lib.sh"
THREADS="${THREADS:-1}"
SAMPLES="${SAMPLES:-20000}"
EPOCHS="${EPOCHS:-20}"
BATCH="${BATCH:-64}"
LENGTH="${LENGTH:-32}"
VOCABULARY="${VOCABULARY:-5000}"
WIDTH="${WIDTH:-64}"
ARCHITECTURE="${ARCHITECTURE:-bag_of_embeddings}"
DISPATCH_JOBS="${DISPATCH_JOBS:-100}"

command -v jq >/dev/null || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
ensure_jar
(cd "$REPO_DIR" && ./mvnw -q test-compile -Pbench)
CP_FILE="$REPO_DIR/target/bench-classpath.txt"
[ -s "$CP_FILE" ] || (cd "$REPO_DIR" && ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
CP="$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$CP_FILE")"
SETUP=(samples="$SAMPLES" epochs="$EPOCHS" batch="$BATCH" length="$LENGTH" vocabulary="$VOCABULARY" width="$WIDTH"
  architecture="$ARCHITECTURE")
JVM=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1)

DATA="$(mktemp -t modelyard-train-XXXX.csv)"
java -cp "$CP" io.modelyard.ml.BenchDataExport "${SETUP[@]}" out="$DATA" >/dev/null
log "Bare DJL baseline: ${SETUP[*]} threads=$THREADS"
BARE_OUT="$(java "${JVM[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
  io.modelyard.ml.BareTrainingBaseline "${SETUP[@]}" 2>/dev/null)"
BARE_RATE="$(sed -n 's/^samples_per_s=//p' <<<"$BARE_OUT")"
log "bare: $BARE_RATE samples/s"

start_platform all "${JVM[@]}" -Dmodelyard.worker.threads=1
KEY="$(new_tenant_key '["datasets:write","jobs:write","read"]')"
VERSION="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' --data-binary "@$DATA" \
  "$BENCH_URL/v1/datasets?name=bench&task=text_classification&text_column=text&label_column=topic&split_column=split" \
  | jq -r .latest_version.id)"
[ -n "$VERSION" ] && [ "$VERSION" != null ] || die "upload failed"
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$BENCH_PID/status"; }
# train_job <epochs>: starts a job with the benchmark's settings and waits for it; prints its id.
train_job() {
  local job state
  job="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "{
  \"dataset_version_id\": \"$VERSION\", \"architecture\": \"$ARCHITECTURE\",
  \"hyperparameters\": {\"epochs\": $1, \"batch_size\": $BATCH, \"learning_rate\": 0.005, \"schedule\": \"constant\",
    \"optimizer\": \"adam\", \"weight_decay\": 0, \"dropout\": 0.1, \"early_stopping_patience\": 0,
    \"max_sequence_length\": $LENGTH, \"vocabulary_size\": $VOCABULARY, \"embedding_size\": $WIDTH,
    \"hidden_size\": $WIDTH, \"layers\": 1, \"heads\": 4, \"seed\": 42, \"checkpoint_every_steps\": 0}}" \
  "$BENCH_URL/v1/training-jobs" | jq -r .id)"
  while :; do
    state="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$job" | jq -r .state)"
    case "$state" in succeeded) break ;; failed|cancelled) die "the training job ended $state" ;; esac
    sleep 1
  done
  echo "$job"
}
log "Platform warm-up job (loads PyTorch, warms the JIT)"
train_job 1 >/dev/null
RSS_BEFORE="$(rss_mb)"
JOB="$(train_job "$EPOCHS")"
log "Platform job $JOB"
RSS_AFTER="$(rss_mb)"
TRAINING_JOB="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/training-jobs/$JOB")"
MODEL="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/models/$(jq -r .model_id <<<"$TRAINING_JOB")")"
PLATFORM_RATE="$(jq -r --argjson m "$MODEL" '
  def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") as $c
    | (($c.s + "Z") | fromdateiso8601) * 1000 + (if $c.f then ("0." + $c.f | tonumber) * 1000 else 0 end);
  $m.training.samples_processed / (((.finished_at | ms) - (.created_at | ms)) / 1000)' <<<"$TRAINING_JOB")"
log "platform: $PLATFORM_RATE samples/s (accuracy $(jq -r .evaluation.classification.accuracy <<<"$MODEL"))"

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
  DISPATCH+=("$(jq -r '
    def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") as $c
      | (($c.s + "Z") | fromdateiso8601) * 1000 + (if $c.f then ("0." + $c.f | tonumber) * 1000 else 0 end);
    (.started_at | ms) - (.created_at | ms)' <<<"$J")")
done
DISPATCH_P50="$(printf '%s\n' "${DISPATCH[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')"

echo "bare_samples_per_s=$BARE_RATE platform_samples_per_s=$PLATFORM_RATE threads=$THREADS ${SETUP[*]}"
echo "platform_rss_mb_before_training=$RSS_BEFORE platform_rss_mb_after_${EPOCHS}_epochs=$RSS_AFTER (heap fixed at 1 GiB, pre-touched)"
grep "^rss_before_mb" <<<"$BARE_OUT" | sed "s/^/bare_/" || true
awk -v b="$RSS_BEFORE" -v a="$RSS_AFTER" 'BEGIN {printf "RESULT train_native_memory_growth_mb=%.1f\n", a - b}'
awk -v p="$PLATFORM_RATE" -v b="$BARE_RATE" 'BEGIN {printf "RESULT train_throughput_ratio=%.3f\n", p / b}'
echo "RESULT queue_dispatch_p50_ms=$DISPATCH_P50"
