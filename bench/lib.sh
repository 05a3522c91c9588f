# Shared by the benchmark scripts (compare.sh, ab_serve.sh, client_bench.sh):
# processes they start are stopped by pid on exit, the whole run is bounded
# in time, and the small measuring helpers. Source it, then call
# bench_watchdog LIMIT once; append every started pid to PIDS.
#
#   source "$(dirname "$0")/lib.sh"
#   bench_watchdog 600
#   some_server & PIDS+=($!)

BENCH_NAME=$(basename "$0")
PIDS=()
WORK=$(mktemp -d)

bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# TERM to the script after $1 seconds; cleanup stops the watchdog too.
bench_watchdog() {
  local limit=$1
  trap 'echo "$BENCH_NAME: stopped after '"$limit"'s or by a signal" >&2; exit 3' TERM INT
  (
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    sleep "$limit" & sleeper=$!
    wait "$sleeper" && kill -TERM $$ 2>/dev/null
  ) &
  PIDS+=($!)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {  # port: up to 15 s
  for _ in $(seq 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$BENCH_NAME: nothing listens on port $1" >&2
  return 1
}

cpu_ticks() {  # pid -> utime+stime in clock ticks (fields 14 and 15, after the comm)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }  # "a=1 b=2" b -> 2

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
