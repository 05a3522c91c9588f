#!/usr/bin/env bash
# moe serve against dynalite, side by side in one run, on the same machine.
#
#   bench/compare.sh            # needs build-bench/bin/{moe,moe_load} and testservers/
#   DURATION=3 REPS=3 BUILD=build-bench bench/compare.sh
#   MOE_SERVE_ARGS="--threads 2" bench/compare.sh   # extra flags for moe serve
#
# Starts dynalite and `moe serve` (in memory, default options) on free
# loopback ports, creates table `bench` (pk:S hash, sk:S range) on each with
# the moe CLI, loads 10,000 ~100-byte items plus one 1,000-item partition,
# then runs the same moe_load workloads against each: PutItem and GetItem with
# 1 and 16 requests in flight, and a Query returning the 1,000 items with 1 in
# flight. Each workload runs REPS times for DURATION seconds after a 1 s
# warm-up; the table shows medians over the repetitions. Server CPU comes from
# /proc/<pid>/stat (utime+stime, all threads) around each run. Everything the
# script starts is stopped by pid on exit. Whole run: about 2 minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
MOE=$BUILD/bin/moe
LOAD=$BUILD/bin/moe_load
DYNALITE=$ROOT/testservers/node_modules/dynalite/cli.js
DURATION=${DURATION:-3}
REPS=${REPS:-3}
KEYS=10000
QUERY_ITEMS=1000
TCK=$(getconf CLK_TCK)
export AWS_ACCESS_KEY_ID=AKIDLOAD AWS_SECRET_ACCESS_KEY=load-secret AWS_REGION=us-east-1

for f in "$MOE" "$LOAD" "$DYNALITE"; do
  [[ -e $f ]] || { echo "compare.sh: missing $f" >&2; exit 2; }
done

PIDS=()
WORK=$(mktemp -d)
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {  # port: up to 15 s
  for _ in $(seq 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "compare.sh: nothing listens on port $1" >&2
  return 1
}

cpu_ticks() {  # pid -> utime+stime in clock ticks (fields 14 and 15, after the comm)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run NAME ENDPOINT PID LABEL ARGS...: warm-up, then REPS measured runs; appends
# "server label ops_per_s p50 p99 client_us_op server_us_op errors" to results.
run() {
  local name=$1 endpoint=$2 pid=$3 label=$4
  shift 4
  # Puts write new keys: a prefix per run. Gets read the loaded k0..k9999.
  local prefix=k
  timeout 30 "$LOAD" --endpoint "$endpoint" --duration-seconds 1 "$@" \
    --key-prefix "$([[ $label == put* ]] && echo "${label}w-" || echo k)" >/dev/null || true
  for rep in $(seq "$REPS"); do
    local before after line ops
    [[ $label == put* ]] && prefix="$label$rep-"
    before=$(cpu_ticks "$pid")
    line=$(timeout 60 "$LOAD" --endpoint "$endpoint" --duration-seconds "$DURATION" "$@" \
           --key-prefix "$prefix" 2>>"$WORK/$name.err") || echo "  ($name $label: errors, see below)" >&2
    after=$(cpu_ticks "$pid")
    ops=$(kv "$line" ops)
    echo "  $name $label #$rep: $line" >&2
    awk -v n="$name" -v l="$label" -v ops="$ops" -v t=$((after - before)) -v tck="$TCK" \
        -v r="$(kv "$line" ops_per_s)" -v p50="$(kv "$line" p50_us)" -v p99="$(kv "$line" p99_us)" \
        -v c="$(kv "$line" client_cpu_us_per_op)" -v e="$(kv "$line" errors)" \
        'BEGIN { printf "%s %s %s %s %s %s %.1f %s\n", n, l, r, p50, p99, c, (ops > 0 ? t / tck * 1e6 / ops : 0), e }' \
        >>"$WORK/results"
  done
}

bench_server() {  # name endpoint pid
  local name=$1 endpoint=$2 pid=$3
  "$MOE" --endpoint "$endpoint" tables create bench --hash pk:S --range sk:S --on-demand >/dev/null
  timeout 60 "$LOAD" --endpoint "$endpoint" --op put --requests "$KEYS" --key-prefix k \
    --duration-seconds 50 >/dev/null
  timeout 30 "$LOAD" --endpoint "$endpoint" --op load-query --items "$QUERY_ITEMS" \
    --in-flight 4 --duration-seconds 25 >/dev/null
  # Get keys come from the loaded k0..k9999; put keys are new (per-run prefix).
  run "$name" "$endpoint" "$pid" put1 --op put --in-flight 1
  run "$name" "$endpoint" "$pid" put16 --op put --in-flight 16
  run "$name" "$endpoint" "$pid" get1 --op get --in-flight 1 --keys "$KEYS"
  run "$name" "$endpoint" "$pid" get16 --op get --in-flight 16 --keys "$KEYS"
  run "$name" "$endpoint" "$pid" query1 --op query --in-flight 1 --items "$QUERY_ITEMS"
}

DPORT=$(free_port)
node "$DYNALITE" --port "$DPORT" --host 127.0.0.1 >"$WORK/dynalite.log" 2>&1 &
PIDS+=($!)
DPID=$!
MPORT=$(free_port)
# shellcheck disable=SC2086  # MOE_SERVE_ARGS is a list of flags
"$MOE" serve --port "$MPORT" ${MOE_SERVE_ARGS:-} >"$WORK/moe.log" 2>&1 &
PIDS+=($!)
MPID=$!
wait_port "$DPORT"
wait_port "$MPORT"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "dynalite pid $DPID port $DPORT; moe serve pid $MPID port $MPORT; ${REPS}x${DURATION}s per workload" >&2
bench_server dynalite "http://127.0.0.1:$DPORT" "$DPID"
bench_server moe "http://127.0.0.1:$MPORT" "$MPID"

# Medians per server and workload, then the side-by-side table.
col() {  # server label column
  awk -v n="$1" -v l="$2" -v c="$3" '$1 == n && $2 == l { print $c }' "$WORK/results" | median
}
errs() { awk -v n="$1" '$1 == n { s += $8 } END { print s + 0 }' "$WORK/results"; }

echo
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); ${REPS} runs x ${DURATION}s, medians; moe serve ${MOE_SERVE_ARGS:-(defaults)}"
printf '%-8s | %12s %9s %9s %8s %8s | %12s %9s %9s %8s %8s | %10s\n' \
  workload "dyn ops/s" "p50 us" "p99 us" "cli us" "srv us" "moe ops/s" "p50 us" "p99 us" "cli us" "srv us" "moe/dyn"
for label in put1 put16 get1 get16 query1; do
  d_ops=$(col dynalite $label 3); m_ops=$(col moe $label 3)
  d_p50=$(col dynalite $label 4); m_p50=$(col moe $label 4)
  if [[ $label == query1 ]]; then
    ratio=$(awk -v a="$d_p50" -v b="$m_p50" 'BEGIN { printf "%.1fx p50", (b > 0 ? a / b : 0) }')
  else
    ratio=$(awk -v a="$m_ops" -v b="$d_ops" 'BEGIN { printf "%.1fx ops", (b > 0 ? a / b : 0) }')
  fi
  printf '%-8s | %12.0f %9.0f %9.0f %8.1f %8.1f | %12.0f %9.0f %9.0f %8.1f %8.1f | %10s\n' \
    $label "$d_ops" "$d_p50" "$(col dynalite $label 5)" "$(col dynalite $label 6)" "$(col dynalite $label 7)" \
    "$m_ops" "$m_p50" "$(col moe $label 5)" "$(col moe $label 6)" "$(col moe $label 7)" "$ratio"
done
echo "(cli us / srv us: CPU microseconds per operation of the load client / of the server process)"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the benchmark itself adds about 2)"
echo "errors: dynalite $(errs dynalite), moe $(errs moe)"
for f in "$WORK"/*.err; do
  [[ -s $f ]] && { echo "--- $f"; head -5 "$f"; }
done
exit 0
