#!/usr/bin/env bash
# Provisions the brokers that integration tests start when there is no Docker engine:
#   - Apache Kafka: the broker's jars, resolved from Maven Central (scripts/kafka/pom.xml);
#   - FerretDB: a MongoDB-wire server on SQLite, built from the Go module proxy
#     (test/infra/ferretdb, pinned by its go.sum);
#   - tlog-verify: a small checker built on transparency-dev/merkle and transparency-dev/formats
#     (test/infra/tlog-verify), with which tests verify the ledger's proofs and checkpoints
#     independently.
# Results go to ${PDX_CACHE:-$HOME/.cache/pdx}; Maven (~/.m2) and Go (GOMODCACHE, GOCACHE)
# keep their own caches, so a fresh clone on a warm machine provisions in seconds.
#
# Idempotent and safe to run concurrently: each result is built in a temporary folder and
# moved into place with its marker, so a half-finished run never looks complete. The
# marker holds a fingerprint of the inputs; editing the pom or the Go program rebuilds.
#
# Keep the versions in step with test/infra/local-kafka.ts and local-ferretdb.ts.
set -euo pipefail

readonly KAFKA_VERSION=3.9.1
readonly FERRETDB_VERSION=v1.24.2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PDX_CACHE:-$HOME/.cache/pdx}"
kafka_pom="$root/scripts/kafka/pom.xml"
ferretdb_src="$root/test/infra/ferretdb"
tlog_src="$root/test/infra/tlog-verify"

say() { printf 'provision: %s\n' "$*"; }
die() {
  printf 'provision: error: %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH. $2"; }

tmps=()
cleanup() { rm -rf ${tmps[@]+"${tmps[@]}"}; }
trap cleanup EXIT

# new_tmp NAME: a scratch folder beside the cache entry, so the final `mv` is a rename.
new_tmp() {
  local dir
  dir="$(mktemp -d "$cache/.$1.XXXXXX")"
  tmps+=("$dir")
  printf '%s' "$dir"
}

# fingerprint VERSION FILE...: changes whenever the version or any input file does.
fingerprint() {
  local version=$1
  shift
  { printf '%s\n' "$version"; cat "$@"; } | sha256sum | cut -d' ' -f1
}

# is_current DIR FINGERPRINT
is_current() { [[ -f "$1/.complete" && "$(<"$1/.complete")" == "$2" ]]; }

# publish TMP DEST FINGERPRINT: marks TMP complete and renames it to DEST.
publish() {
  local tmp=$1 dest=$2 fp=$3
  printf '%s\n' "$fp" >"$tmp/.complete"
  chmod 755 "$tmp" # mktemp makes it private
  if is_current "$dest" "$fp"; then
    return # a concurrent run got there first; ours is discarded on exit
  fi
  rm -rf "$dest"
  if ! mv -T "$tmp" "$dest" 2>/dev/null; then
    is_current "$dest" "$fp" || die "could not move $tmp to $dest"
  fi
}

elapsed() { printf '%ss' "$((SECONDS - $1))"; }

provision_kafka() {
  local dest="$cache/kafka-$KAFKA_VERSION" fp start tmp jars
  fp="$(fingerprint "$KAFKA_VERSION" "$kafka_pom")"
  if is_current "$dest" "$fp"; then
    say "Kafka $KAFKA_VERSION: present in $dest/libs, skipped"
    return
  fi
  need mvn "Install Apache Maven 3.8+ (e.g. apt-get install maven) to resolve the Kafka jars."
  start=$SECONDS
  tmp="$(new_tmp "kafka-$KAFKA_VERSION")"
  say "Kafka $KAFKA_VERSION: resolving jars from Maven Central..."
  # Maven 3.8 prints colour resets even in batch mode; sed strips them (pipefail keeps its status).
  mvn -q -B -f "$kafka_pom" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/libs" 2>&1 |
    sed -u $'s/\e\\[[0-9;]*m//g' ||
    die "Maven could not resolve Kafka $KAFKA_VERSION (see its output above)"
  [[ -f "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" ]] ||
    die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing from $tmp/libs"
  jars="$(find "$tmp/libs" -name '*.jar' | wc -l)"
  publish "$tmp" "$dest" "$fp"
  say "Kafka $KAFKA_VERSION: $jars jars in $dest/libs ($(elapsed "$start"))"
}

provision_ferretdb() {
  local dest="$cache/ferretdb-$FERRETDB_VERSION" fp start tmp
  fp="$(fingerprint "$FERRETDB_VERSION" "$ferretdb_src/go.mod" "$ferretdb_src/go.sum" "$ferretdb_src/main.go")"
  if is_current "$dest" "$fp"; then
    say "FerretDB $FERRETDB_VERSION: present at $dest/ferretdb, skipped"
    return
  fi
  need go "Install Go 1.24+ (https://go.dev/dl/) to build FerretDB."
  grep -q "github.com/FerretDB/FerretDB $FERRETDB_VERSION\$" "$ferretdb_src/go.mod" ||
    die "$ferretdb_src/go.mod does not require FerretDB $FERRETDB_VERSION"
  start=$SECONDS
  tmp="$(new_tmp "ferretdb-$FERRETDB_VERSION")"
  say "FerretDB $FERRETDB_VERSION: building (a cold Go cache takes about a minute)..."
  # -mod=readonly: go.sum is the lock file; a build never rewrites it.
  (cd "$ferretdb_src" && go build -mod=readonly -trimpath -buildvcs=false -o "$tmp/ferretdb" .) ||
    die "go build of FerretDB $FERRETDB_VERSION failed (see its output above)"
  publish "$tmp" "$dest" "$fp"
  say "FerretDB $FERRETDB_VERSION: built $dest/ferretdb ($(elapsed "$start"))"
}

provision_tlog_verify() {
  local dest="$cache/tlog-verify" fp start tmp
  fp="$(fingerprint tlog-verify "$tlog_src/go.mod" "$tlog_src/go.sum" "$tlog_src/main.go")"
  if is_current "$dest" "$fp"; then
    say "tlog-verify: present at $dest/tlog-verify, skipped"
    return
  fi
  need go "Install Go 1.25+ (https://go.dev/dl/) to build tlog-verify."
  start=$SECONDS
  tmp="$(new_tmp tlog-verify)"
  (cd "$tlog_src" && go build -mod=readonly -trimpath -buildvcs=false -o "$tmp/tlog-verify" .) ||
    die "go build of tlog-verify failed (see its output above)"
  publish "$tmp" "$dest" "$fp"
  say "tlog-verify: built $dest/tlog-verify ($(elapsed "$start"))"
}

need java "Install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless); Kafka runs on it."
mkdir -p "$cache"
provision_kafka
provision_ferretdb
provision_tlog_verify
