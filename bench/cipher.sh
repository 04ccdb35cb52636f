#!/usr/bin/env bash
# The blob cipher in a fresh process, with and without the start-up warm-up (storage/encryption/CipherWarmUp).
#
# The JDK runs AES-GCM on the CPU's AES instructions only from code C2 has compiled, which a fresh process reaches
# after tens of megabytes. This runs CipherWarmUpBench (test sources) in fresh JVMs, ROUNDS times each way,
# alternating: BLOBS blobs of 5 MB encrypted and decrypted through the blob store's streaming cipher, cold, or after
# the warm-up's SEGMENTS small segments (the product runs those in the background a few seconds after start).
# Prints the medians:
#   RESULT cipher_first_blobs_ms_cold=<ms>          the BLOBS blobs in a cold process
#   RESULT cipher_first_blobs_ms_warmed=<ms>        the same after the warm-up
#   RESULT cipher_warm_up_ms=<ms>                   what the warm-up itself costs (one core, in the background)
#   RESULT cipher_warmed_vs_cold=<warmed ÷ cold>     below 1 is faster
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"
BLOBS="${BLOBS:-10}"
SEGMENTS="${SEGMENTS:-5000}"

cd "$REPO_DIR"
CP="$(test_classpath)"

run() { java -cp "$CP" io.modelyard.storage.encryption.CipherWarmUpBench "$1" "$BLOBS" 2>/dev/null | grep '^warm_up_ms='; }
cold=(); warmed=(); warm_up=()
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then c="$(run 0)"; w="$(run "$SEGMENTS")"; else w="$(run "$SEGMENTS")"; c="$(run 0)"; fi
  cold+=("$(sed -n 's/.*blobs_ms=//p' <<<"$c")")
  warmed+=("$(sed -n 's/.*blobs_ms=//p' <<<"$w")")
  warm_up+=("$(sed -n 's/warm_up_ms=\([^ ]*\).*/\1/p' <<<"$w")")
  log "round $round: cold ${cold[-1]} ms, warmed ${warmed[-1]} ms (warm-up ${warm_up[-1]} ms) for $BLOBS blobs of 5 MB"
done
COLD="$(printf '%s\n' "${cold[@]}" | median)"
WARMED="$(printf '%s\n' "${warmed[@]}" | median)"
echo "blobs=$BLOBS segments=$SEGMENTS rounds=$ROUNDS load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT cipher_first_blobs_ms_cold=$COLD"
echo "RESULT cipher_first_blobs_ms_warmed=$WARMED"
echo "RESULT cipher_warm_up_ms=$(printf '%s\n' "${warm_up[@]}" | median)"
awk -v w="$WARMED" -v c="$COLD" 'BEGIN {printf "RESULT cipher_warmed_vs_cold=%.3f\n", w / c}'
