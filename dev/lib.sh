#!/usr/bin/env bash
# Shared by dev/run, dev/test and .ci/run: starts the services Modelyard needs on this machine.
# Everything downloaded is cached outside the repository, under $MODELYARD_CACHE_DIR.

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODELYARD_CACHE_DIR="${MODELYARD_CACHE_DIR:-$HOME/.cache/modelyard}"
KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.5.6}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_HOME="$MODELYARD_CACHE_DIR/keycloak-$KEYCLOAK_VERSION"
REALM_FILE="$REPO_DIR/config/keycloak/modelyard-realm.json"
PG_APP_ROLE="${PG_APP_ROLE:-modelyard_app}"
PG_OWNER_ROLE="${PG_OWNER_ROLE:-modelyard_owner}"

# The engine's native memory. PyTorch gives every tensor back to glibc's malloc once a step is done, and with
# glibc's defaults a freed block above its (adaptive) mmap threshold is unmapped and the memory at the top of a
# heap is trimmed: the next step maps it again and faults every page in, about a third of a training step's CPU
# time here and its main source of run-to-run variance (bench/train.sh, README "Engine memory"). Blocks under
# 32 MiB come from the heap and up to 256 MiB of freed heap stays in the process; the images set the same values.
# A thread other than the first allocates from an arena of 64 MiB heaps, and glibc unmaps such a heap as soon as
# it is empty unless the top pad covers it: a worker's training thread mapped, faulted in and unmapped a heap for
# every table-sized temporary of every step. A 64 MiB pad keeps the heaps.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-67108864}"

log() { printf '\033[1;34m[modelyard]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[modelyard]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "Need root for: $* (run as root or install sudo)"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# ensure_master_key <file>: a Tink keyset (JSON) of one random AES256_GCM key, the master key that encryption at
# rest needs outside dev and test mode (README "Encryption at rest"); made once, readable by its owner only. The
# same layout `tinkey create-keyset --key-template AES256_GCM --out-format json` writes: an AesGcmKey protobuf
# (field 3, 32 key bytes) under a random 31-bit key id.
ensure_master_key() {
  local file="$1" id value
  [ -s "$file" ] && return 0
  mkdir -p "$(dirname "$file")"
  id=$(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') & 0x7fffffff ))
  value="$( (printf '\x1a\x20'; head -c 32 /dev/urandom) | base64 | tr -d '\n')"
  (umask 077 && printf '{"primaryKeyId":%d,"key":[{"keyData":{"typeUrl":"type.googleapis.com/google.crypto.tink.AesGcmKey","value":"%s","keyMaterialType":"SYMMETRIC"},"status":"ENABLED","keyId":%d,"outputPrefixType":"TINK"}]}\n' \
    "$id" "$value" "$id" >"$file.tmp.$$") && mv -n "$file.tmp.$$" "$file" && rm -f "$file.tmp.$$"
}

wait_for_url() { # url seconds what
  local url="$1" seconds="$2" what="$3" i
  for ((i = 0; i < seconds; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  die "$what did not come up at $url within ${seconds}s"
}

ensure_postgres() {
  if ! command -v pg_lsclusters >/dev/null; then
    log "Installing PostgreSQL (Debian package)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local cluster version name status
  # The cluster on the port we connect to (another cluster, e.g. the chaos suite's, may sort first).
  cluster="$(pg_lsclusters --no-header | awk -v port="${PGPORT:-5432}" '$3 == port' | head -n1)"
  [ -n "$cluster" ] || cluster="$(pg_lsclusters --no-header | head -n1)"
  [ -n "$cluster" ] || die "No PostgreSQL cluster found (pg_lsclusters is empty)"
  version="$(awk '{print $1}' <<<"$cluster")"; name="$(awk '{print $2}' <<<"$cluster")"
  status="$(awk '{print $4}' <<<"$cluster")"
  if [ "$status" != "online" ]; then
    log "Starting PostgreSQL $version/$name"
    as_root pg_ctlcluster "$version" "$name" start
  fi
  for _ in $(seq 1 30); do
    as_postgres psql -qtAc 'select 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "PostgreSQL does not answer"
}

# Two roles: the schema owner runs migrations; the application role owns nothing and cannot bypass RLS.
ensure_database() { # name [recreate]
  local db="$1" recreate="${2:-}"
  as_postgres psql -v ON_ERROR_STOP=1 -qX >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$PG_OWNER_ROLE') then
    create role $PG_OWNER_ROLE login password '$PG_OWNER_ROLE';
  end if;
  if not exists (select from pg_roles where rolname = '$PG_APP_ROLE') then
    create role $PG_APP_ROLE login password '$PG_APP_ROLE' nosuperuser nocreatedb nocreaterole nobypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'modelyard_keda') then
    create role modelyard_keda login password 'modelyard_keda' nosuperuser nobypassrls;
  end if;
end \$\$;
SQL
  if [ "$recreate" = "recreate" ]; then
    as_postgres psql -qX -c "drop database if exists $db with (force)" >/dev/null
  fi
  if ! as_postgres psql -qtAX -c "select 1 from pg_database where datname = '$db'" | grep -q 1; then
    log "Creating database $db"
    as_postgres psql -v ON_ERROR_STOP=1 -qX -c "create database $db owner $PG_OWNER_ROLE" >/dev/null
    as_postgres psql -v ON_ERROR_STOP=1 -qX -d "$db" -c "revoke all on schema public from public;
      grant usage on schema public to $PG_APP_ROLE, modelyard_keda;" >/dev/null
  fi
}

# Debian's Chromium and its WebDriver, for the portal's browser tests (nothing is downloaded by the tests).
ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return 0; fi
  log "Installing Chromium and chromium-driver (Debian packages) for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}

# Debian's Node.js and npm, for the test that drives /openai/v1 with the official openai npm package (the package
# itself is installed by that test under target/node, with npm's cache in $MODELYARD_CACHE_DIR/npm).
ensure_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then return 0; fi
  log "Installing Node.js and npm (Debian packages) for the OpenAI SDK test"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}

# Debian's PyTorch for Python, for the test of bench/ml/train_pytorch.py (the training benchmark's peer) and for
# bench/train.sh. Checked with Debian's own interpreter: a python3 earlier on the PATH (pyenv, a venv) may lack it.
ensure_python_torch() {
  if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || python3 -c 'import torch' >/dev/null 2>&1; then return 0; fi
  log "Installing python3-torch (Debian package) for the PyTorch training benchmark and its test"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
}

install_keycloak() {
  [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return 0
  log "Fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
  mkdir -p "$MODELYARD_CACHE_DIR"
  "$REPO_DIR/mvnw" -q -B dependency:copy -f "$REPO_DIR/pom.xml" \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
    -DoutputDirectory="$MODELYARD_CACHE_DIR" >/dev/null
  (cd "$MODELYARD_CACHE_DIR" && jar xf "keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
  chmod +x "$KEYCLOAK_HOME"/bin/*.sh
  rm -f "$MODELYARD_CACHE_DIR/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
}

keycloak_realm_url() { echo "http://localhost:$KEYCLOAK_PORT/realms/modelyard"; }

# Starts Keycloak (dev mode, its own H2 file) with the realm imported, unless it already runs with this realm.
ensure_keycloak() {
  install_keycloak
  local realm_sum marker="$KEYCLOAK_HOME/data/import/.realm.sha256" pidfile="$MODELYARD_CACHE_DIR/keycloak.pid"
  realm_sum="$(sha256sum "$REALM_FILE" | cut -d' ' -f1)"
  if curl -fsS -o /dev/null "$(keycloak_realm_url)/.well-known/openid-configuration" 2>/dev/null \
      && [ "$(cat "$marker" 2>/dev/null)" = "$realm_sum" ]; then
    log "Keycloak already running on :$KEYCLOAK_PORT"
    return 0
  fi
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "Restarting Keycloak: the realm file changed"
    kill "$(cat "$pidfile")"; sleep 3
  fi
  if [ "$(cat "$marker" 2>/dev/null)" != "$realm_sum" ]; then
    rm -rf "$KEYCLOAK_HOME/data/h2"   # re-import the realm from scratch
  fi
  mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$REALM_FILE" "$KEYCLOAK_HOME/data/import/modelyard-realm.json"
  echo "$realm_sum" >"$marker"
  log "Starting Keycloak $KEYCLOAK_VERSION on :$KEYCLOAK_PORT (log: $MODELYARD_CACHE_DIR/keycloak.log)"
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
    nohup "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-port="$KEYCLOAK_PORT" --import-realm \
    >"$MODELYARD_CACHE_DIR/keycloak.log" 2>&1 &
  echo $! >"$pidfile"
  wait_for_url "$(keycloak_realm_url)/.well-known/openid-configuration" 180 "Keycloak"
  log "Keycloak is up"
}
