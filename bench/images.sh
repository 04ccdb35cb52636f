#!/usr/bin/env bash
# Image classification through the platform's API, in one sitting:
#   1. accuracy: IMAGES generated shapes (io.modelyard.testing.ImageZips: circle, square, triangle, cross, ring on
#      noisy backgrounds, SIZE×SIZE PNGs in class folders) are uploaded as one zip; cnn_small and resnet train on
#      it through training jobs (the dataset's seeded 80/10/10 split), and each model's accuracy on the held-out
#      test split is read from its evaluation. With AUGMENT=1 a second cnn_small job trains with
#      image_augmentation, to show its effect.
#   2. predictions: the cnn_small model answers one 32×32 PNG per request (base64 in JSON) through the platform
#      (POST /v1/models/{id}/predict with an API key: authentication, tenant, model lookup, limits, metering in its
#      default durable mode) and through the plain HTTP door on the same process and engine
#      (POST /bench/models/{id}/predict: no authentication, tenant, lookup or metering), as bench/predict.sh does
#      for text: each warmed until compiled, then ROUNDS alternating wrk runs of SECONDS_PER_RUN at CONNECTIONS
#      connections, medians.
#   3. attacks: the crafted archives of io.modelyard.dataset.image.ArchiveAttacks (a bomb by compression ratio, a
#      bomb by entry count, zip-slip, an absolute path, a symbolic link, a nested zip and a gzip posing as a PNG,
#      an encrypted entry, a header declaring 10^10 pixels, a truncated archive, a program among the images) are
#      uploaded one by one; one counts as refused when the answer is the problem type its name expects and the
#      tenant still has no dataset afterwards.
# Prints:
#   RESULT image_synthetic_accuracy_cnn_small=<test accuracy>
#   RESULT image_synthetic_accuracy_resnet=<test accuracy>
#   RESULT image_synthetic_accuracy=<the lower of the two>
#   RESULT image_predict_vs_plain_http=<platform req/s ÷ plain req/s>
#   RESULT image_predict_p99_ms=<the platform's p99>
#   RESULT image_archive_attacks_refused=<refused>/<crafted>
# Settings (environment): IMAGES (3000), SIZE (32), CLASSES (5), CNN_EPOCHS (15), RESNET_EPOCHS (10),
# RESNET_WIDTH (hidden_size, 16: a quarter of ResNet-18's width), AUGMENT (0), ROUNDS (3), SECONDS_PER_RUN (10),
# CONNECTIONS (16), THREADS (predictors per model, 2), BENCH_PORT, BENCH_DB.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
IMAGES="${IMAGES:-3000}"
SIZE="${SIZE:-32}"
CLASSES="${CLASSES:-5}"
CNN_EPOCHS="${CNN_EPOCHS:-15}"
RESNET_EPOCHS="${RESNET_EPOCHS:-10}"
RESNET_WIDTH="${RESNET_WIDTH:-16}"
AUGMENT="${AUGMENT:-0}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"

ensure_jq
ensure_wrk
cd "$REPO_DIR"
CP="$(test_classpath)"
WORK="$(mktemp -d -t modelyard-images-XXXX)"
trap 'rm -rf "$WORK"' EXIT
log "Generating $IMAGES shapes of ${SIZE}×$SIZE and the crafted archives"
java -cp "$CP" io.modelyard.testing.ImageZips zip "$WORK/shapes.zip" "$IMAGES" "$SIZE" "$CLASSES" 42
java -cp "$CP" io.modelyard.testing.ImageZips base64 "$WORK/images.txt" 200 "$SIZE"
java -cp "$CP" io.modelyard.dataset.image.ArchiveAttacks "$WORK/attacks"

start_platform all -Dmodelyard.worker.threads=1 -Dmodelyard.serving.bench.enabled=true \
  -Dmodelyard.serving.predictors="$THREADS" -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
trap 'kill $BENCH_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
KEY="$(new_tenant_key '["datasets:write","jobs:write","read","predict"]')"
TENANT="$(curl -fsS -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping" | json_field tenant_id)"
api() { curl -sS -H "Authorization: Bearer $KEY" "$@"; }

log "Uploading the shapes ($(du -h "$WORK/shapes.zip" | cut -f1))"
VERSION="$(api -f -H 'Content-Type: application/zip' --data-binary "@$WORK/shapes.zip" \
  "$BENCH_URL/v1/datasets?task=image_classification&name=shapes" | jq -r .latest_version.id)"

# train <architecture> <hyperparameters JSON>: prints the model's test accuracy
train() {
  local job state body started
  job="$(api -f -H 'Content-Type: application/json' -d "{\"dataset_version_id\": \"$VERSION\",
    \"architecture\": \"$1\", \"seed\": 7, \"hyperparameters\": $2}" "$BENCH_URL/v1/training-jobs" | jq -r .id)"
  started=$SECONDS
  while :; do
    body="$(api -f "$BENCH_URL/v1/training-jobs/$job")"
    state="$(jq -r .state <<<"$body")"
    case "$state" in succeeded) break ;; failed | cancelled) die "$1 job $job $state: $(jq -c .error <<<"$body")" ;; esac
    sleep 2
  done
  log "$1 trained in $((SECONDS - started)) s"
  MODEL="$(jq -r .model_id <<<"$body")"
  accuracy="$(api -f "$BENCH_URL/v1/models/$MODEL" | jq -r .evaluation.classification.accuracy)"
  log "$1: test accuracy $accuracy"
  echo "$accuracy"
}

COMMON="\"batch_size\": 32, \"learning_rate\": 0.003, \"schedule\": \"cosine\", \"early_stopping_patience\": 0, \"image_size\": $SIZE"
train cnn_small "{\"epochs\": $CNN_EPOCHS, $COMMON}" >"$WORK/cnn.txt"
CNN="$(cat "$WORK/cnn.txt")"
CNN_MODEL="$MODEL"
RESNET="$(train resnet "{\"epochs\": $RESNET_EPOCHS, \"hidden_size\": $RESNET_WIDTH, $COMMON}")"
if [ "$AUGMENT" = 1 ]; then
  AUGMENTED="$(train cnn_small "{\"epochs\": $CNN_EPOCHS, \"image_augmentation\": true, $COMMON}")"
fi

log "Predictions: platform and plain HTTP, one ${SIZE}×$SIZE image per request, $CONNECTIONS connections"
curl -fsS -X POST "$BENCH_URL/bench/tenants/$TENANT/models/$CNN_MODEL/serve" >/dev/null
PLATFORM_URL="$BENCH_URL/v1/models/$CNN_MODEL/predict"
PLAIN_URL="$BENCH_URL/bench/models/$CNN_MODEL/predict"
wrk_post() { # <seconds> <url> [api key]: "<requests/s> <p99 ms>"; dies on any error
  local out
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$1s" --timeout 30s --latency -s "$REPO_DIR/bench/predict.lua" "$2" -- \
    "$WORK/images.txt" "${3:-}" image)"
  if grep -q -e "Non-2xx" -e "Socket errors" <<<"$out"; then die "wrk saw errors on $2:"$'\n'"$out"; fi
  awk '/^Requests\/sec:/ {r=$2} $1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; p=v} END {print r, p}' <<<"$out"
}
warm_until_compiled "$BENCH_PID" "$PLATFORM_URL" wrk_post 5 "$PLATFORM_URL" "$KEY"
warm_until_compiled "$BENCH_PID" "$PLAIN_URL" wrk_post 5 "$PLAIN_URL"
platform_rps=(); plain_rps=(); platform_p99=()
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rps p99 < <(wrk_post "$SECONDS_PER_RUN" "$PLATFORM_URL" "$KEY"); platform_rps+=("$rps"); platform_p99+=("$p99")
  read -r rps2 p992 < <(wrk_post "$SECONDS_PER_RUN" "$PLAIN_URL"); plain_rps+=("$rps2")
  log "round $round: platform $rps req/s (p99 $p99 ms), plain HTTP $rps2 req/s (p99 $p992 ms)"
done
P="$(printf '%s\n' "${platform_rps[@]}" | median)"
H="$(printf '%s\n' "${plain_rps[@]}" | median)"
PREDICT_RATIO="$(awk -v a="$P" -v b="$H" 'BEGIN {printf "%.3f", a / b}')"
PREDICT_P99="$(printf '%s\n' "${platform_p99[@]}" | median)"
echo "predict: platform_rps=$P plain_http_rps=$H load=$(cut -d' ' -f1-3 /proc/loadavg)"

log "Uploading the crafted archives to a fresh tenant"
KEY="$(new_tenant_key '["datasets:write","jobs:write","read"]')"
refused=0 crafted=0
for zip in "$WORK"/attacks/*.zip; do
  name="$(basename "$zip" .zip)"
  expected="${name%%--*}"
  crafted=$((crafted + 1))
  answer="$(api -H 'Content-Type: application/zip' --data-binary "@$zip" \
    "$BENCH_URL/v1/datasets?task=image_classification" -w '\n%{http_code}')"
  status="$(tail -n1 <<<"$answer")"
  type="$(head -n -1 <<<"$answer" | jq -r '.type // empty' 2>/dev/null | sed 's#.*/##')"
  left="$(api -f "$BENCH_URL/v1/datasets" | jq '.data | length')"
  if [ "$type" = "$expected" ] && [ "$left" = 0 ] && [[ "$status" =~ ^4 ]]; then
    refused=$((refused + 1))
    log "refused ${name#*--}: $status $type, entry $(head -n -1 <<<"$answer" | jq -r '.entry // "-"')"
  else
    log "NOT refused as expected: ${name#*--}: $status ${type:-no problem type} (expected $expected), datasets $left"
  fi
done

echo "RESULT image_synthetic_accuracy_cnn_small=$CNN"
echo "RESULT image_synthetic_accuracy_resnet=$RESNET"
[ -n "${AUGMENTED:-}" ] && echo "RESULT image_synthetic_accuracy_cnn_small_augmented=$AUGMENTED"
echo "RESULT image_synthetic_accuracy=$(printf '%s\n%s\n' "$CNN" "$RESNET" | sort -g | head -1)"
echo "RESULT image_predict_vs_plain_http=$PREDICT_RATIO"
echo "RESULT image_predict_p99_ms=$PREDICT_P99"
echo "RESULT image_archive_attacks_refused=$refused/$crafted"
