#!/usr/bin/env bash
# API fuzzing: Schemathesis (pinned, from PyPI, in a virtualenv cached under ~/.cache/pdx)
# against a fresh `npm start`, from the OpenAPI document it serves, every operation,
# authenticated with an access token from its token endpoint (the bootstrap operator's
# key, then a buyer's). Fails on any server error, any answer the document does not
# describe, and any error the exchange logs. Needs a build (`npm run build`); each of the two
# runs is bounded by FUZZ_MAX_TIME (seconds, default 90).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION=4.32.5
venv="${XDG_CACHE_HOME:-$HOME/.cache}/pdx/schemathesis-$SCHEMATHESIS_VERSION"
if [[ ! -x $venv/bin/schemathesis ]]; then
  echo "fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
if [[ ${1:-} == --install-only ]]; then exit 0; fi

work=$(mktemp -d)
server_pid=''
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=${FUZZ_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
url="http://127.0.0.1:$port"
echo "fuzz: starting the exchange on $url (data in $work/data, log in $work/server.log)"
PORT=$port PDX_DATA_DIR="$work/data" LOG_LEVEL=warn PDX_ACCESS_TOKEN_TTL_SECONDS=3600 \
  node services/standalone/dist/main.js >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "fuzz: the exchange did not start"; exit 1; fi
  sleep 0.5
done
curl -fsS "$url/readyz" >/dev/null || { cat "$work/server.log"; echo "fuzz: not ready after 60 s"; exit 1; }

export PDX_URL=$url
pdx=node_modules/.bin/pdx
operator_key="$work/data/operator.key.json"
# A buyer too, so that the buyer's routes are reached past their 403: registered by the
# operator with a key of its own.
"$pdx" keygen --out "$work/buyer.key.json" --kid fuzz-buyer-1 >"$work/buyer.jwks.json"
cat >"$work/buyer.json" <<JSON
{"partyId":"fuzz-buyer","legalName":"Fuzz Buyer","country":"DE","roles":["buyer"],"jwks":$(cat "$work/buyer.jwks.json")}
JSON
"$pdx" call POST /v1/parties --key "$operator_key" --iss operator --data @"$work/buyer.json" >/dev/null
"$pdx" call GET /v1/parties/fuzz-buyer --key "$operator_key" --iss operator --wait >/dev/null

export PDX_FUZZ_REPORT_DIR=${FUZZ_REPORT_DIR:-$work}
status=0
fuzz() {
  local who=$1 key=$2
  echo "fuzz: as $who, for up to ${FUZZ_MAX_TIME:-90} s"
  PDX_FUZZ_TOKEN=$("$pdx" token --key "$key" --iss "$who")
  export PDX_FUZZ_TOKEN PDX_FUZZ_WHO=$who
  # From the scratch folder: Schemathesis keeps its cache (.schemathesis) where it runs.
  (cd "$work" && PYTHONPATH="$OLDPWD/test/fuzz" "$venv/bin/schemathesis" \
    --config-file "$OLDPWD/test/fuzz/schemathesis.toml" run "$url/openapi.json" --url "$url" \
    --max-time "${FUZZ_MAX_TIME:-90}" --workers "${FUZZ_WORKERS:-1}") || status=$?
}
fuzz operator "$operator_key"
fuzz fuzz-buyer "$work/buyer.key.json"
if grep -q '"level":50' "$work/server.log"; then
  echo "fuzz: the exchange logged errors:"; grep '"level":50' "$work/server.log" | head -20
  status=1
fi
exit "$status"
