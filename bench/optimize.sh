#!/usr/bin/env bash
# Model optimization on one generated text dataset, in one run of the platform (role all, one worker thread).
#
# The data (io.modelyard.optimization.NoisyText): ROWS training rows (an eighth as many each for validation and
# test, by a split column) of made-up topic words in Zipf-distributed filler, each text also carrying a word of
# another class, words misspelled with probability MISSPELL, LABEL_NOISE of the labels wrong. Then, each as a job
# over HTTP and each figure from the platform's own reports (test split, the same rows for every model):
#   1. a training job with no options (the default preset): its test macro F1 is the reference;
#   2. a tuning job (adaptive: ASHA + TPE) within BUDGET compute seconds and MAX_TRIALS trials;
#   3. a tuning job with strategy random and the same budget;
#   4. a teacher (TEACHER_ARCHITECTURE, base size) distilled into the default student (bag_of_embeddings small);
#   5. the default-preset model of step 1 compressed: 50 % magnitude pruning with 2 epochs of fine-tuning, int8;
#   6. (figures for the README, not goals) the default preset with hashed character n-grams, against step 1; and on
#      a small set of SMALL_ROWS rows, the default preset with and without augmentation.
# RESULT tune_gain_f1            = best tuned macro F1 - default preset macro F1           (goal >= 0)
# RESULT tune_vs_random_same_budget = adaptive best macro F1 / random-search best           (goal >= 1.0)
# RESULT distill_student_f1_ratio = student macro F1 / teacher macro F1                     (goal >= 0.97)
# RESULT distill_speedup         = teacher / student median single-row latency               (goal >= 3)
# RESULT compress_size_ratio     = compressed / source artifact bytes                        (goal <= 0.5)
# RESULT compress_f1_drop        = source macro F1 - compressed macro F1                     (goal <= 0.01)
source "$(dirname "$0")/lib.sh"
THREADS="${THREADS:-1}"
ROWS="${ROWS:-4000}"
SMALL_ROWS="${SMALL_ROWS:-400}"
MISSPELL="${MISSPELL:-0.2}"
LABEL_NOISE="${LABEL_NOISE:-0.05}"
SEED="${SEED:-7}"
BUDGET="${BUDGET:-300}"
MAX_TRIALS="${MAX_TRIALS:-40}"
TEACHER_ARCHITECTURE="${TEACHER_ARCHITECTURE:-text_cnn}"

command -v jq >/dev/null || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
ensure_jar
(cd "$REPO_DIR" && ./mvnw -q test-compile -Pbench)
CP_FILE="$REPO_DIR/target/bench-classpath.txt"
[ -s "$CP_FILE" ] || (cd "$REPO_DIR" && ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE")
CP="$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$CP_FILE")"

DATA="$(mktemp -t modelyard-optimize-XXXX.csv)"
SMALL="$(mktemp -t modelyard-optimize-small-XXXX.csv)"
java -cp "$CP" io.modelyard.optimization.NoisyText rows="$ROWS" misspell="$MISSPELL" label_noise="$LABEL_NOISE" \
  seed="$SEED" out="$DATA"
java -cp "$CP" io.modelyard.optimization.NoisyText rows="$SMALL_ROWS" misspell="$MISSPELL" \
  label_noise="$LABEL_NOISE" seed="$((SEED + 1))" out="$SMALL"
log "Data: $(($(wc -l <"$DATA") - 1)) rows, misspell=$MISSPELL label_noise=$LABEL_NOISE seed=$SEED"

start_platform all -Xms1g -Xmx2g -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dmodelyard.worker.threads=1
KEY="$(new_tenant_key '["datasets:write","jobs:write","read","predict"]')"
api() { # method path [json body]
  if [ $# -ge 3 ]; then
    curl -fsS -X "$1" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$3" "$BENCH_URL$2"
  else
    curl -fsS -X "$1" -H "Authorization: Bearer $KEY" "$BENCH_URL$2"
  fi
}
VERSION="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' --data-binary "@$DATA" \
  "$BENCH_URL/v1/datasets?name=noisy&task=text_classification&text_column=text&label_column=label&split_column=split" \
  | jq -r .latest_version.id)"
[ -n "$VERSION" ] && [ "$VERSION" != null ] || die "upload failed"

# run_job <collection path> <json body>: starts a job, waits for it to succeed, prints it.
run_job() {
  local job state
  job="$(api POST "$1" "$2" | jq -r .id)"
  [ -n "$job" ] && [ "$job" != null ] || die "could not start a job at $1"
  while :; do
    state="$(api GET "$1/$job" | jq -r .state)"
    case "$state" in succeeded) break ;; failed|cancelled) die "$1/$job ended $state: $(api GET "$1/$job" | jq -c .error)" ;; esac
    sleep 2
  done
  api GET "$1/$job"
}
model_f1() { api GET "/v1/models/$1" | jq -r .evaluation.classification.macro.f1; }

log "1. Default preset training job"
DEFAULT_JOB="$(run_job /v1/training-jobs "{\"dataset_version_id\": \"$VERSION\"}")"
DEFAULT_MODEL="$(jq -r .model_id <<<"$DEFAULT_JOB")"
DEFAULT_F1="$(model_f1 "$DEFAULT_MODEL")"
log "default preset: test macro F1 $DEFAULT_F1"

log "2. Adaptive tuning job: $BUDGET compute seconds, at most $MAX_TRIALS trials"
TUNE="$(run_job /v1/tuning-jobs "{\"dataset_version_id\": \"$VERSION\", \"strategy\": \"adaptive\", \"seed\": 42,
  \"budget\": {\"max_trials\": $MAX_TRIALS, \"max_compute_seconds\": $BUDGET}}")"
TUNE_F1="$(model_f1 "$(jq -r .model_id <<<"$TUNE")")"
log "adaptive: test macro F1 $TUNE_F1 after $(jq -r .result.trial_count <<<"$TUNE") trials $(jq -c .result.trials <<<"$TUNE"), best $(jq -c '.result.best_trial | {number, architecture, objective_value}' <<<"$TUNE")"

log "3. Random search, same budget"
RANDOM_TUNE="$(run_job /v1/tuning-jobs "{\"dataset_version_id\": \"$VERSION\", \"strategy\": \"random\", \"seed\": 42,
  \"budget\": {\"max_trials\": $MAX_TRIALS, \"max_compute_seconds\": $BUDGET}}")"
RANDOM_F1="$(model_f1 "$(jq -r .model_id <<<"$RANDOM_TUNE")")"
log "random: test macro F1 $RANDOM_F1 after $(jq -r .result.trial_count <<<"$RANDOM_TUNE") trials"

log "4. Distillation: a $TEACHER_ARCHITECTURE teacher (base) into the default student"
TEACHER_JOB="$(run_job /v1/training-jobs "{\"dataset_version_id\": \"$VERSION\", \"architecture\": \"$TEACHER_ARCHITECTURE\",
  \"size\": \"base\", \"hyperparameters\": {\"epochs\": 6, \"max_sequence_length\": 64}, \"suffix\": \"teacher\"}")"
DISTILL="$(run_job /v1/distillation-jobs "{\"teacher_model_id\": \"$(jq -r .model_id <<<"$TEACHER_JOB")\",
  \"temperature\": 2.0, \"alpha\": 0.5}")"
log "teacher $(jq -c .result.teacher <<<"$DISTILL")"
log "student $(jq -c .result.student <<<"$DISTILL")"

log "5. Compression of the default-preset model: 50 % pruning, 2 epochs of fine-tuning, int8"
COMPRESS="$(run_job /v1/compression-jobs "{\"model_id\": \"$DEFAULT_MODEL\",
  \"pruning\": {\"sparsity\": 0.5, \"fine_tune_epochs\": 2}, \"quantization\": \"int8\"}")"
log "before $(jq -c .result.before <<<"$COMPRESS")"
log "after  $(jq -c .result.after <<<"$COMPRESS")"

log "6. The default preset with character n-grams; augmentation on $SMALL_ROWS rows"
NGRAM_F1="$(model_f1 "$(run_job /v1/training-jobs "{\"dataset_version_id\": \"$VERSION\",
  \"hyperparameters\": {\"char_ngrams\": true}, \"suffix\": \"ngrams\"}" | jq -r .model_id)")"
SMALL_VERSION="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' --data-binary "@$SMALL" \
  "$BENCH_URL/v1/datasets?name=small&task=text_classification&text_column=text&label_column=label&split_column=split" \
  | jq -r .latest_version.id)"
PLAIN_SMALL_F1="$(model_f1 "$(run_job /v1/training-jobs "{\"dataset_version_id\": \"$SMALL_VERSION\"}" | jq -r .model_id)")"
AUGMENTED_SMALL_F1="$(model_f1 "$(run_job /v1/training-jobs "{\"dataset_version_id\": \"$SMALL_VERSION\",
  \"hyperparameters\": {\"augmentation\": {\"copies\": 2, \"token_dropout\": 0.1, \"token_swap\": 0.1}}}" | jq -r .model_id)")"
echo "noisy spelling ($MISSPELL): default preset macro F1 $DEFAULT_F1 words only, $NGRAM_F1 with char_ngrams"
echo "small set ($SMALL_ROWS training rows): macro F1 $PLAIN_SMALL_F1 plain, $AUGMENTED_SMALL_F1 with augmentation (2 copies, dropout 0.1, swap 0.1)"
echo "default_preset_f1=$DEFAULT_F1 tuned_f1=$TUNE_F1 random_search_f1=$RANDOM_F1 budget_s=$BUDGET max_trials=$MAX_TRIALS rows=$ROWS threads=$THREADS"
awk -v t="$TUNE_F1" -v d="$DEFAULT_F1" 'BEGIN {printf "RESULT tune_gain_f1=%.4f\n", t - d}'
awk -v t="$TUNE_F1" -v r="$RANDOM_F1" 'BEGIN {printf "RESULT tune_vs_random_same_budget=%.4f\n", t / r}'
echo "RESULT distill_student_f1_ratio=$(jq -r '.result.f1_ratio' <<<"$DISTILL")"
echo "RESULT distill_speedup=$(jq -r '.result.speedup' <<<"$DISTILL")"
echo "RESULT compress_size_ratio=$(jq -r '.result.size_ratio' <<<"$COMPRESS")"
echo "RESULT compress_f1_drop=$(jq -r '.result.guard.drop' <<<"$COMPRESS")"
