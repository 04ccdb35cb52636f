#!/usr/bin/env bash
# Shared by the benchmarks: services, a running platform, a tenant and an API key, and wrk.
source "$(dirname "${BASH_SOURCE[0]}")/../dev/lib.sh"

BENCH_PORT="${BENCH_PORT:-8090}"
BENCH_DB="${BENCH_DB:-modelyard_bench}"
BENCH_URL="http://localhost:$BENCH_PORT"
# Every platform a bench starts runs the jar in production mode, which needs a master key for encryption at rest;
# bench databases are made afresh, so one key kept in the cache serves every run.
ensure_master_key "$MODELYARD_CACHE_DIR/bench-master-key.json"
export MODELYARD_ENCRYPTION_MASTER_KEY_FILE="${MODELYARD_ENCRYPTION_MASTER_KEY_FILE:-$MODELYARD_CACHE_DIR/bench-master-key.json}"

ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "Installing wrk (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}

# The benchmarks' doors (/bench/...) are built in only with the bench profile; a jar without them is rebuilt, and
# so is a jar older than the sources (a bench must never measure yesterday's build).
# DEVICE=gpu builds the GPU worker's engine (the gpu profile: PyTorch's CUDA native jar), as its image does.
ensure_jar() {
  local app_jar gpu_missing=
  app_jar="$(ls "$REPO_DIR"/target/quarkus-app/app/*.jar 2>/dev/null | head -1 || true)"
  if [ "${DEVICE:-cpu}" = gpu ] && ! ls "$REPO_DIR"/target/quarkus-app/lib/main/*pytorch-native-cu* >/dev/null 2>&1; then
    gpu_missing=1
  fi
  if [ -z "$app_jar" ] || [ -n "${BENCH_REBUILD:-}" ] || [ -n "$gpu_missing" ] \
      || [ -n "$(find "$REPO_DIR/pom.xml" "$REPO_DIR/src/main" "$REPO_DIR/src/bench" -newer "$app_jar" -type f -print -quit)" ] \
      || ! unzip -Z1 "$app_jar" 'io/modelyard/serving/bench/BenchResource.class' >/dev/null 2>&1; then
    log "Building Modelyard"
    (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests "$(bench_profiles)")
  fi
}

# The Maven profiles of a bench build: bench, plus gpu when DEVICE=gpu.
bench_profiles() {
  if [ "${DEVICE:-cpu}" = gpu ]; then echo "-Pbench,gpu"; else echo "-Pbench"; fi
}

# test_classpath: compiles the test sources and prints the classpath that runs their mains (bench tools and data
# generators) from the repository's directory.
test_classpath() {
  local cp_file="$REPO_DIR/target/bench-classpath.txt"
  (cd "$REPO_DIR" && ./mvnw -q -B test-compile >&2)
  if [ ! -s "$cp_file" ] || [ "$REPO_DIR/pom.xml" -nt "$cp_file" ]; then
    (cd "$REPO_DIR" && ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2)
  fi
  echo "$REPO_DIR/target/classes:$REPO_DIR/target/test-classes:$(cat "$cp_file")"
}

ensure_jq() {
  command -v jq >/dev/null && return 0
  log "Installing jq (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
}

# Every process a bench starts presents this operator credential; the first one, which migrates the fresh bench
# database, registers it (the api role does not migrate by default, and refuses to start without one).
export MODELYARD_DATABASE_OPERATOR_CREDENTIAL="${MODELYARD_DATABASE_OPERATOR_CREDENTIAL:-bench-operator-credential-0123456789abcdef}"

# The options that run the platform without billing: no metering, quotas or rate limits (the benches' baseline).
BILLING_OFF=(-Dmodelyard.billing.metering-enabled=false -Dmodelyard.billing.quotas-enabled=false
  -Dmodelyard.billing.rate-limits-enabled=false)

# start_platform <role> [extra java options...]: starts the jar on $BENCH_PORT against a fresh bench database,
# which it migrates whatever the role (as the chart's migrate Job would before the api pods start).
start_platform() {
  local role="$1"; shift
  ensure_postgres
  ensure_database "$BENCH_DB" recreate
  ensure_keycloak
  ensure_jar
  BENCH_LOG="$(mktemp -t modelyard-bench-XXXX.log)"
  java -Xmx1g -Dquarkus.flyway.migration.migrate-at-start=true "$@" -Dmodelyard.role="$role" \
    -Dquarkus.http.port="$BENCH_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:5432/$BENCH_DB" \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.log.level=WARN \
    -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >"$BENCH_LOG" 2>&1 &
  BENCH_PID=$!
  trap 'kill $BENCH_PID 2>/dev/null || true' EXIT
  wait_for_url "$BENCH_URL/q/health/ready" 120 "Modelyard"
}

# jit_ticks <pid>: CPU ticks (1/100 s) the JVM's JIT compiler threads have used so far.
jit_ticks() {
  local t total=0 stat
  for t in /proc/"$1"/task/*; do
    read -r -a stat <"$t/stat" 2>/dev/null || continue
    # comm is field 2, "(C2 CompilerThre)": its space shifts utime and stime by one
    case "${stat[1]}" in "(C1" | "(C2") total=$((total + stat[14] + stat[15])) ;; esac
  done
  echo "$total"
}

# warm_until_compiled <pid> <label> <load command...>: runs the command (about 5 s of load) until, during one run,
# the JVM's JIT threads used under 5 % of a core, or WARMUP_MAX_SECONDS (180) passed. A JVM measured before that
# still spends a large share of its CPU compiling the code under test (close to half a core for the platform's
# metered predict path during its first 40 s of load on 2 cores).
warm_until_compiled() {
  local pid="$1" label="$2" started=$SECONDS before after
  shift 2
  while :; do
    before="$(jit_ticks "$pid")"
    "$@" >/dev/null
    after="$(jit_ticks "$pid")"
    if [ $((after - before)) -lt 25 ] || [ $((SECONDS - started)) -ge "${WARMUP_MAX_SECONDS:-180}" ]; then break; fi
  done
  log "  warmed up $label in $((SECONDS - started)) s (JIT threads: $((after - before)) ticks in the last run)"
}

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# Signs the demo user up for a fresh tenant and prints a new API key with the given scopes (JSON array body).
new_tenant_key() {
  local scopes="$1" token tenant
  token="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=demo -d password=demo \
    "$(keycloak_realm_url)/protocol/openid-connect/token" | json_field access_token)"
  tenant="$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench $(date +%s%N)\"}" "$BENCH_URL/v1/tenants" | json_field id)"
  bench_plan_for "$tenant"
  curl -fsS -H "Authorization: Bearer $token" -H "Modelyard-Tenant: $tenant" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"scopes\":$scopes}" "$BENCH_URL/v1/api-keys" | json_field secret
}

# bench_plan_for <tenant id>: moves the tenant onto the "bench" plan (made once), whose quotas and rate limits
# are evaluated on every request but never reached: benches measure work, not refusals.
bench_plan_for() {
  local tenant="$1" operator
  operator="$(curl -fsS -d grant_type=password -d client_id=modelyard-cli -d username=operator -d password=operator \
    "$(keycloak_realm_url)/protocol/openid-connect/token" | json_field access_token)"
  curl -sS -o /dev/null -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' -d '{
    "id": "bench", "display_name": "Benchmark", "max_upload_bytes": 1073741824, "storage_cap_bytes": 107374182400,
    "max_concurrent_jobs": 4,
    "rate_limits": {"api_key": {"requests_per_second": 1000000, "burst": 1000000},
                    "tenant": {"requests_per_second": 1000000, "burst": 1000000}},
    "meters": {"api_requests": {"included": 1000000000000, "quota": "hard", "limit": 1000000000000, "unit_price": 0},
               "predictions": {"included": 1000000000000, "quota": "hard", "limit": 1000000000000, "unit_price": 0},
               "training_cpu_seconds": {"included": 1000000000, "quota": "hard", "limit": 1000000000, "unit_price": 0},
               "dataset_rows_ingested": {"included": 1000000000000, "quota": "hard", "limit": 1000000000000, "unit_price": 0}}
    }' "$BENCH_URL/v1/admin/plans"
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' \
    -d '{"plan": "bench"}' "$BENCH_URL/v1/admin/billing-accounts/$tenant" || die "could not move $tenant to the bench plan"
}

# wrk_run <seconds> <connections> <url> [header]: prints "<requests/s> <p99 ms>".
wrk_run() {
  local seconds="$1" connections="$2" url="$3" header="${4:-}" out
  if [ -n "$header" ]; then
    out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "$header" "$url")"
  else
    out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url")"
  fi
  if grep -q "Non-2xx" <<<"$out"; then die "wrk saw errors:\n$out"; fi
  local rps p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")"
  echo "$rps $p99"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
