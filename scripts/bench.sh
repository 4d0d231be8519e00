#!/usr/bin/env bash
# npm run bench: the event bus benchmark, then the intake benchmark pinned to one core
# (taskset, where available), since its target is stated per core and WebCrypto would
# otherwise verify signatures on a second core through libuv's thread pool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The figures are Node 24's: on a machine whose own Node is older, the repository's pinned one.
node_env=$(bash scripts/node.sh --if-older)
if [[ -n $node_env ]]; then eval "$node_env"; fi
printf 'bench: node %s on %s\n' "$(node --version)" "$(uname -m)"
node test/dist/bench/bus.bench.js
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 0); fi
"${pin[@]}" node test/dist/bench/intake.bench.js
"${pin[@]}" node test/dist/bench/auth.bench.js
node test/dist/bench/lapses.bench.js
node test/dist/bench/rules.bench.js
node test/dist/bench/review.bench.js
node test/dist/bench/ledger.bench.js
node test/dist/bench/rules-change.bench.js
node test/dist/bench/console.bench.js
