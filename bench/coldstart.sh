#!/usr/bin/env bash
# Cold start of the api role, from process exec, in one sitting.
#
# PostgreSQL and Keycloak are running and the database is migrated once (the migrate role, as the chart's Job
# does). Each start is a fresh JVM of role api; per start the script records exec -> /q/health/ready answered 200,
# exec -> the first API-key request (/v1/ping with a real key) answered 200, and the process's RSS at ready
# (VmRSS). It runs RUNS starts of the plain jar on Java 17 and RUNS of the optimised variant (the same build packaged
# as an aot-jar, on JDK 25 with an AOT cache from a training run made here, plus OPTIMISED_OPTS), alternating, so a
# busy machine slows both alike.
#
# Prints per-start lines, medians per variant and: RESULT coldstart_ready_ms (median, optimised; goal <= 1500),
# RESULT coldstart_first_request_ms (goal <= 2000), RESULT coldstart_vs_plain_jar (optimised / plain ready
# medians; goal <= 0.35) and RESULT coldstart_rss_mb (median RSS at ready, optimised; goal <= 250). For information,
# the CPU time the process used until ready (all its threads), which a busy shared machine distorts far less than
# the wall-clock figures: RESULT coldstart_cpu_ms and coldstart_plain_cpu_ms.
# Its own database and port: other benches (bench/lib.sh's defaults) may run beside it on a shared machine.
BENCH_DB="${BENCH_DB:-modelyard_coldstart}"
BENCH_PORT="${BENCH_PORT:-8097}"
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
POLL_MS="${POLL_MS:-10}"
JAVA_PLAIN="${JAVA_PLAIN:-$(command -v java)}"
JAVA_OPTIMISED="${JAVA_OPTIMISED:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
PLAIN_OPTS="${PLAIN_OPTS:-}"
OPTIMISED_OPTS="${OPTIMISED_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m}"
TRAINING_REQUESTS="${TRAINING_REQUESTS:-50}"
START_TIMEOUT_S="${START_TIMEOUT_S:-120}"
# One operator credential for the whole sitting: the migrate run registers it, every api start presents it.
OPERATOR_CREDENTIAL="bench-coldstart-operator-credential-$(date +%s)-0123456789"

"$JAVA_PLAIN" -version 2>&1 | grep -q 'version "17' || die "JAVA_PLAIN ($JAVA_PLAIN) is not a Java 17"
[ -x "$JAVA_OPTIMISED" ] || die "No JDK 25 at $JAVA_OPTIMISED (set JAVA_OPTIMISED)"
"$JAVA_OPTIMISED" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])' || die "$JAVA_OPTIMISED is older than 25"

ensure_postgres
ensure_database "$BENCH_DB" recreate
ensure_keycloak
ensure_jar
# The optimised variant runs the aot-jar packaging of the same build: its classes are on the application class path,
# where the AOT cache loads and links them ahead of time. With the default fast-jar, Quarkus's own class loader still
# reads each class from the jars and the JDK only matches it against the cache (none pre-linked), and a tenth of the
# start's classes do not come from the cache at all.
AOT_APP="$REPO_DIR/target/aot-jar"
if [ -z "$(find "$AOT_APP/app" -name '*.jar' -newer "$(ls "$REPO_DIR"/target/quarkus-app/app/*.jar | head -1)" 2>/dev/null)" ]; then
  log "Packaging the aot-jar for the optimised variant"
  (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests "$(bench_profiles)" -Dquarkus.package.jar.type=aot-jar \
    -Dquarkus.package.output-directory=aot-jar)
fi
[ -s "$AOT_APP/quarkus-run.jar" ] || die "no aot-jar at $AOT_APP"
WORK="$(mktemp -d -t modelyard-coldstart-XXXX)"
CACHE="$WORK/app.aot"
APP_PID=""
# the AOT cache alone is about 130 MB: nothing of the sitting stays behind
trap '[ -n "$APP_PID" ] && kill -9 "$APP_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

now_ms() { local t="$EPOCHREALTIME"; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

# launch <java> <log> [options...]: starts the jar in the background; APP_PID and T0 (exec, ms) are set.
launch() {
  local java="$1" logfile="$2"; shift 2
  T0="$(now_ms)"
  MODELYARD_DATABASE_OPERATOR_CREDENTIAL="$OPERATOR_CREDENTIAL" "$java" "$@" -Dmodelyard.role="${ROLE:-api}" -Dquarkus.http.port="$BENCH_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
    -Dquarkus.log.console.json.enabled=false \
    -jar "${APP_DIR:-$REPO_DIR/target/quarkus-app}/quarkus-run.jar" >"$logfile" 2>&1 &
  APP_PID=$!
}

# poll_ms <url> [curl options...]: polls every POLL_MS until the URL answers 200; prints ms since T0.
poll_ms() {
  local url="$1" code deadline; shift
  deadline=$(( $(now_ms) + START_TIMEOUT_S * 1000 ))
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true)"
    if [ "$code" = 200 ]; then echo $(( $(now_ms) - T0 )); return 0; fi
    kill -0 "$APP_PID" 2>/dev/null || return 1
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep "0.$(printf '%03d' "$POLL_MS")"
  done
}

stop_app() {
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# cpu_ms <pid>: user + system CPU time of the process so far (clock ticks of 1/100 s).
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }

log "Migrating $BENCH_DB once (role migrate)"
ROLE=migrate launch "$JAVA_PLAIN" "$WORK/migrate.log"
wait "$APP_PID" || die "the migrate role failed: $(tail -40 "$WORK/migrate.log")"
APP_PID=""

log "Making a tenant and an API key (one api start, not measured)"
launch "$JAVA_PLAIN" "$WORK/setup.log"
poll_ms "$BENCH_URL/q/health/ready" >/dev/null || die "the api role did not get ready:\n$(tail -40 "$WORK/setup.log")"
KEY="$(new_tenant_key '["read"]')"
[ -n "$KEY" ] || die "no API key"
stop_app

log "Training the AOT cache on $JAVA_OPTIMISED ($TRAINING_REQUESTS API-key requests, then a clean stop)"
# What a serving pod does: API-key requests, refused anonymous ones, and people's Keycloak tokens (the OIDC tenant
# is set up at its first use, so only a request with a token puts that path in the cache).
TOKEN="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=demo -d password=demo \
  "$(keycloak_realm_url)/protocol/openid-connect/token" | json_field access_token)"
[ -n "$TOKEN" ] || die "no Keycloak token for the training run"
# shellcheck disable=SC2086
APP_DIR="$AOT_APP" launch "$JAVA_OPTIMISED" "$WORK/training.log" -XX:AOTCacheOutput="$CACHE" $OPTIMISED_OPTS
poll_ms "$BENCH_URL/q/health/ready" >/dev/null || die "the training run did not get ready:\n$(tail -40 "$WORK/training.log")"
for i in $(seq 1 "$TRAINING_REQUESTS"); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" "$BENCH_URL/v1/ping"
  curl -sS -o /dev/null "$BENCH_URL/v1/members"
  [ $((i % 10)) -ne 1 ] || curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$BENCH_URL/v1/tenants"
done
stop_app
[ -s "$CACHE" ] || die "no AOT cache was written:\n$(tail -40 "$WORK/training.log")"
log "AOT cache: $(du -m "$CACHE" | cut -f1) MB"

# one_start <variant> <java> [options...]: records "<variant> <ready ms> <first request ms> <rss mb> <cpu ms>".
one_start() {
  local variant="$1" java="$2" ready first rss cpu logfile; shift 2
  logfile="$WORK/$variant-$(now_ms).log"
  launch "$java" "$logfile" "$@"
  ready="$(poll_ms "$BENCH_URL/q/health/ready")" || die "$variant did not get ready:\n$(tail -40 "$logfile")"
  rss="$(rss_mb "$APP_PID")"
  cpu="$(cpu_ms "$APP_PID")"
  first="$(poll_ms "$BENCH_URL/v1/ping" -H "Authorization: Bearer $KEY")" \
    || die "$variant did not answer the API key:\n$(tail -40 "$logfile")"
  stop_app
  log "$variant: ready $ready ms, first request $first ms, RSS at ready $rss MB, CPU to ready $cpu ms"
  echo "$variant $ready $first $rss $cpu" >>"$WORK/results"
}

for i in $(seq 1 "$RUNS"); do
  log "Round $i of $RUNS"
  # shellcheck disable=SC2086
  one_start plain "$JAVA_PLAIN" $PLAIN_OPTS
  # shellcheck disable=SC2086
  APP_DIR="$AOT_APP" one_start optimised "$JAVA_OPTIMISED" -XX:AOTCache="$CACHE" $OPTIMISED_OPTS
done

col_median() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$WORK/results" | median; }
PLAIN_READY="$(col_median plain 2)"
OPT_READY="$(col_median optimised 2)"
log "plain (Java 17, $PLAIN_OPTS): ready $PLAIN_READY ms, first request $(col_median plain 3) ms, RSS $(col_median plain 4) MB, CPU $(col_median plain 5) ms"
log "optimised (JDK 25 + AOT cache, $OPTIMISED_OPTS): ready $OPT_READY ms, first request $(col_median optimised 3) ms, RSS $(col_median optimised 4) MB, CPU $(col_median optimised 5) ms"
echo "RESULT coldstart_plain_ready_ms=$PLAIN_READY"
echo "RESULT coldstart_plain_rss_mb=$(col_median plain 4)"
echo "RESULT coldstart_ready_ms=$OPT_READY"
echo "RESULT coldstart_first_request_ms=$(col_median optimised 3)"
echo "RESULT coldstart_vs_plain_jar=$(awk -v o="$OPT_READY" -v p="$PLAIN_READY" 'BEGIN {printf "%.2f", o / p}')"
echo "RESULT coldstart_rss_mb=$(col_median optimised 4)"
echo "RESULT coldstart_cpu_ms=$(col_median optimised 5)"
echo "RESULT coldstart_plain_cpu_ms=$(col_median plain 5)"
