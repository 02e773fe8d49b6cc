#!/usr/bin/env bash
# CPU profile of Attest's server under load on endpoint (a) (or $ENDPOINT): starts bench/attest-server.ts
# with --cpu-prof on 127.0.0.1:3100, runs wrk for $DURATION s, stops the server, and prints where its main
# thread spent the time (bench/profile-summary.ts). Profiles go to bench/.out/profile/.
set -euo pipefail
cd "$(dirname "$0")/.."
ENDPOINT=${ENDPOINT:-a}
DURATION=${DURATION:-15}
NODE=${NODE:-node}
export BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/attest_bench}
OUT=bench/.out/profile
rm -rf "$OUT" && mkdir -p "$OUT"
[[ -f bench/.out/urls/$ENDPOINT.txt ]] || "$NODE" --import tsx bench/targets.ts
setsid env DATABASE_URL="$BENCH_DATABASE_URL" PORT=3100 HOST=127.0.0.1 LOG_LEVEL=warn \
  RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_KEYED_PER_MINUTE=1000000 \
  "$NODE" --cpu-prof --cpu-prof-dir="$OUT" --import tsx bench/attest-server.ts >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill -KILL -- "-$PID" 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -fs -o /dev/null http://127.0.0.1:3100/health && break; sleep 0.1; done
URLS=bench/.out/urls/$ENDPOINT.txt wrk -t2 -c10 -d5s -s bench/rotate.lua http://127.0.0.1:3100 >/dev/null
URLS=bench/.out/urls/$ENDPOINT.txt wrk -t2 -c10 -d"${DURATION}s" -s bench/rotate.lua http://127.0.0.1:3100 | grep '^RESULT'
kill -INT "$PID"
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
"$NODE" --import tsx bench/profile-summary.ts "$OUT"/*.cpuprofile
