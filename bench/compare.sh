#!/usr/bin/env bash
# moe serve against dynalite, side by side in one run, on the same machine,
# with nginx answering a fixed body as the loopback HTTP ceiling.
#
#   bench/compare.sh            # needs build-bench/bin/{moe,moe_load} and testservers/
#   DURATION=3 REPS=3 BUILD=build-bench bench/compare.sh
#   MOE_SERVE_ARGS="--threads 2" bench/compare.sh   # extra flags for moe serve
#   PIN=1 bench/compare.sh      # servers on CPU 1, the load client on CPU 0
#
# Starts dynalite and `moe serve` (in memory, default options) on free
# loopback ports, creates table `bench` (pk:S hash, sk:S range) on each with
# the moe CLI, loads 10,000 ~100-byte items plus one 1,000-item partition,
# then runs the same moe_load workloads against each: PutItem, GetItem and
# BatchWriteItem (25 items) with 1 and 16 requests in flight, and a Query
# returning the 1,000 items with 1 and 16 in flight. When nginx is installed
# (Debian nginx-light), one nginx process answers every POST with a fixed
# GetItem-shaped body and gets the PutItem and GetItem workloads: the ceiling of HTTP over
# loopback on this machine. Each workload runs REPS times for DURATION
# seconds after a 1 s warm-up; the table shows medians over the repetitions.
# Server CPU comes from /proc/<pid>/stat (utime+stime, all threads) around
# each run. Everything the script starts is stopped by pid on exit, and the
# whole run is stopped after LIMIT seconds (default 600). Whole run: about
# 4 minutes with the defaults.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
MOE=$BUILD/bin/moe
LOAD=$BUILD/bin/moe_load
DYNALITE=$ROOT/testservers/node_modules/dynalite/cli.js
DURATION=${DURATION:-3}
REPS=${REPS:-3}
LIMIT=${LIMIT:-600}
PIN=${PIN:-0}
NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
KEYS=10000
QUERY_ITEMS=1000
TCK=$(getconf CLK_TCK)
export AWS_ACCESS_KEY_ID=AKIDLOAD AWS_SECRET_ACCESS_KEY=load-secret AWS_REGION=us-east-1

for f in "$MOE" "$LOAD" "$DYNALITE"; do
  [[ -e $f ]] || { echo "compare.sh: missing $f" >&2; exit 2; }
done

source "$ROOT/bench/lib.sh"
bench_watchdog "$LIMIT"

# PIN=1: servers on CPU 1, the load client on CPU 0, so that the two never
# share a core (loopback wake-ups otherwise tend to pull them onto one).
server_cpu=() client_cpu=()
if [[ $PIN == 1 ]]; then server_cpu=(taskset -c 1); client_cpu=(taskset -c 0); fi

# run NAME ENDPOINT PID LABEL ARGS...: warm-up, then REPS measured runs; appends
# "server label ops_per_s p50 p99 client_us_op server_us_op errors" to results.
run() {
  local name=$1 endpoint=$2 pid=$3 label=$4
  shift 4
  # Writes use new keys: a prefix per run. Gets read the loaded k0..k9999.
  local prefix=k
  timeout 30 "${client_cpu[@]}" "$LOAD" --endpoint "$endpoint" --duration-seconds 1 "$@" \
    --key-prefix "$([[ $label == put* || $label == batch* ]] && echo "${label}w-" || echo k)" \
    >/dev/null || true
  for rep in $(seq "$REPS"); do
    local before after line ops
    [[ $label == put* || $label == batch* ]] && prefix="$label$rep-"
    before=$(cpu_ticks "$pid")
    line=$(timeout 60 "${client_cpu[@]}" "$LOAD" --endpoint "$endpoint" --duration-seconds "$DURATION" "$@" \
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
  timeout 30 "$MOE" --endpoint "$endpoint" tables create bench --hash pk:S --range sk:S \
    --on-demand >/dev/null
  timeout 60 "${client_cpu[@]}" "$LOAD" --endpoint "$endpoint" --op put --requests "$KEYS" --key-prefix k \
    --duration-seconds 50 >/dev/null
  timeout 30 "${client_cpu[@]}" "$LOAD" --endpoint "$endpoint" --op load-query --items "$QUERY_ITEMS" \
    --in-flight 4 --duration-seconds 25 >/dev/null
  # Get keys come from the loaded k0..k9999; put keys are new (per-run prefix).
  run "$name" "$endpoint" "$pid" put1 --op put --in-flight 1
  run "$name" "$endpoint" "$pid" put16 --op put --in-flight 16
  run "$name" "$endpoint" "$pid" get1 --op get --in-flight 1 --keys "$KEYS"
  run "$name" "$endpoint" "$pid" get16 --op get --in-flight 16 --keys "$KEYS"
  run "$name" "$endpoint" "$pid" batch1 --op batch --in-flight 1
  run "$name" "$endpoint" "$pid" batch16 --op batch --in-flight 16
  run "$name" "$endpoint" "$pid" query1 --op query --in-flight 1 --items "$QUERY_ITEMS"
  run "$name" "$endpoint" "$pid" query16 --op query --in-flight 16 --items "$QUERY_ITEMS"
}

# nginx, one process, answering every request with a fixed GetItem-shaped
# body of the size moe serve answers (the ceiling for get1/get16).
start_nginx() {  # port
  local dir=$WORK/nginx
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_requests 1000000000;
  server {
    listen 127.0.0.1:$1;
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '{"Item":{"data":{"S":"the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq"},"pk":{"S":"k1234"},"sk":{"S":"0"}}}';
    }
  }
}
EOF
  "${server_cpu[@]}" "$NGINX" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  PIDS+=($!)
  NPID=$!
}

DPORT=$(free_port)
"${server_cpu[@]}" node "$DYNALITE" --port "$DPORT" --host 127.0.0.1 >"$WORK/dynalite.log" 2>&1 &
PIDS+=($!)
DPID=$!
MPORT=$(free_port)
# shellcheck disable=SC2086  # MOE_SERVE_ARGS is a list of flags
"${server_cpu[@]}" "$MOE" serve --port "$MPORT" ${MOE_SERVE_ARGS:-} >"$WORK/moe.log" 2>&1 &
PIDS+=($!)
MPID=$!
wait_port "$DPORT"
wait_port "$MPORT"
NPID=
if [[ -n $NGINX ]]; then
  NPORT=$(free_port)
  start_nginx "$NPORT"
  wait_port "$NPORT"
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "dynalite pid $DPID port $DPORT; moe serve pid $MPID port $MPORT; nginx pid ${NPID:-(none)}; ${REPS}x${DURATION}s per workload" >&2
bench_server dynalite "http://127.0.0.1:$DPORT" "$DPID"
bench_server moe "http://127.0.0.1:$MPORT" "$MPID"
if [[ -n $NPID ]]; then
  run nginx "http://127.0.0.1:$NPORT" "$NPID" put1 --op put --in-flight 1
  run nginx "http://127.0.0.1:$NPORT" "$NPID" put16 --op put --in-flight 16
  run nginx "http://127.0.0.1:$NPORT" "$NPID" get1 --op get --in-flight 1 --keys "$KEYS"
  run nginx "http://127.0.0.1:$NPORT" "$NPID" get16 --op get --in-flight 16 --keys "$KEYS"
fi

# Medians per server and workload, then the side-by-side table.
col() {  # server label column
  awk -v n="$1" -v l="$2" -v c="$3" '$1 == n && $2 == l { print $c }' "$WORK/results" | median
}
errs() { awk -v n="$1" '$1 == n { s += $8 } END { print s + 0 }' "$WORK/results"; }

echo
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); ${REPS} runs x ${DURATION}s, medians; moe serve ${MOE_SERVE_ARGS:-(defaults)}; PIN=$PIN"
printf '%-8s | %12s %9s %9s %8s %8s | %12s %9s %9s %8s %8s | %10s\n' \
  workload "dyn ops/s" "p50 us" "p99 us" "cli us" "srv us" "moe ops/s" "p50 us" "p99 us" "cli us" "srv us" "moe/dyn"
for label in put1 put16 get1 get16 batch1 batch16 query1 query16; do
  d_ops=$(col dynalite $label 3); m_ops=$(col moe $label 3)
  d_p50=$(col dynalite $label 4); m_p50=$(col moe $label 4)
  if [[ $label == query* ]]; then
    ratio=$(awk -v a="$d_p50" -v b="$m_p50" 'BEGIN { printf "%.1fx p50", (b > 0 ? a / b : 0) }')
  else
    ratio=$(awk -v a="$m_ops" -v b="$d_ops" 'BEGIN { printf "%.1fx ops", (b > 0 ? a / b : 0) }')
  fi
  printf '%-8s | %12.0f %9.0f %9.0f %8.1f %8.1f | %12.0f %9.0f %9.0f %8.1f %8.1f | %10s\n' \
    $label "$d_ops" "$d_p50" "$(col dynalite $label 5)" "$(col dynalite $label 6)" "$(col dynalite $label 7)" \
    "$m_ops" "$m_p50" "$(col moe $label 5)" "$(col moe $label 6)" "$(col moe $label 7)" "$ratio"
done
echo "(cli us / srv us: CPU microseconds per operation of the load client / of the server process;"
echo " batch rows count requests of 25 items; query ratios compare p50 latency, dynalite / moe)"
if [[ -n $NPID ]]; then
  echo
  echo "ceiling: nginx answering a fixed body (one process), same requests"
  printf '%-8s | %12s %9s %9s %8s %8s | %12s | %10s | %10s\n' \
    workload "nginx ops/s" "p50 us" "p99 us" "cli us" "srv us" "moe ops/s" "moe/nginx" "nginx/dyn"
  for label in put1 put16 get1 get16; do
    n_ops=$(col nginx $label 3); m_ops=$(col moe $label 3); d_ops=$(col dynalite $label 3)
    printf '%-8s | %12.0f %9.0f %9.0f %8.1f %8.1f | %12.0f | %9.2fx | %9.1fx\n' \
      $label "$n_ops" "$(col nginx $label 4)" "$(col nginx $label 5)" "$(col nginx $label 6)" \
      "$(col nginx $label 7)" "$m_ops" "$(awk -v a="$m_ops" -v b="$n_ops" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
      "$(awk -v a="$n_ops" -v b="$d_ops" 'BEGIN { print (b > 0 ? a / b : 0) }')"
  done
  echo "(nginx/dyn: the most any server could show against dynalite here, since nginx does"
  echo " no work per request; a target above it measures the loopback, not the server)"
else
  echo "(nginx not installed: no ceiling row; apt-get install nginx-light)"
fi
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the benchmark itself adds about 2)"
echo "errors: dynalite $(errs dynalite), moe $(errs moe), nginx $(errs nginx)"
for f in "$WORK"/*.err; do
  [[ -s $f ]] && { echo "--- $f"; head -5 "$f"; }
done
exit 0
