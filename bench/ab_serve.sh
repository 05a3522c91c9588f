#!/usr/bin/env bash
# A/B of two `moe serve` binaries: both run side by side with the same table
# and data, and the same moe_load drives them alternately (old, new, old,
# new ...), so that both see the same machine load. Prints, per workload and
# round, the server CPU per request (utime+stime of the server process from
# /proc/<pid>/stat) and the throughput, then the medians.
#
#   bench/ab_serve.sh OLD_MOE NEW_MOE [MOE_LOAD]
#   ROUNDS=3 DURATION=2 WORKLOADS="put16 get16 query1" bench/ab_serve.sh ...
#   OLD_ARGS=--no-io-uring bench/ab_serve.sh build-bench/bin/moe build-bench/bin/moe
#     (OLD_ARGS / NEW_ARGS: extra `moe serve` flags for each side)
#
# Everything it starts is stopped by pid on exit.
set -euo pipefail

OLD=$1
NEW=$2
LOAD=${3:-$(cd "$(dirname "$0")/.." && pwd)/build-bench/bin/moe_load}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-2}
WORKLOADS=${WORKLOADS:-"put16 get16 query1"}
KEYS=10000
QUERY_ITEMS=1000
TCK=$(getconf CLK_TCK)
export AWS_ACCESS_KEY_ID=AKIDLOAD AWS_SECRET_ACCESS_KEY=load-secret AWS_REGION=us-east-1

source "$(dirname "$0")/lib.sh"
bench_watchdog "${LIMIT:-600}"

declare -A PORT PID
for side in old new; do
  bin=$OLD
  [[ $side == new ]] && bin=$NEW
  PORT[$side]=$(free_port)
  args=${OLD_ARGS:-}
  [[ $side == new ]] && args=${NEW_ARGS:-}
  # shellcheck disable=SC2086  # the ARGS are lists of flags
  "$bin" serve --port "${PORT[$side]}" $args >"$WORK/$side.log" 2>&1 &
  PIDS+=($!)
  PID[$side]=$!
  wait_port "${PORT[$side]}"
  ep="http://127.0.0.1:${PORT[$side]}"
  timeout 30 "$bin" --endpoint "$ep" tables create bench --hash pk:S --range sk:S --on-demand >/dev/null
  timeout 120 "$LOAD" --endpoint "$ep" --op put --requests "$KEYS" --key-prefix k \
    --duration-seconds 100 >/dev/null
  timeout 60 "$LOAD" --endpoint "$ep" --op load-query --items "$QUERY_ITEMS" --in-flight 4 \
    --duration-seconds 50 >/dev/null
done

args_for() {
  case $1 in
    put1) echo "--op put --in-flight 1" ;;
    put16) echo "--op put --in-flight 16" ;;
    get1) echo "--op get --in-flight 1 --keys $KEYS" ;;
    get16) echo "--op get --in-flight 16 --keys $KEYS" ;;
    query1) echo "--op query --in-flight 1 --items $QUERY_ITEMS" ;;
    query16) echo "--op query --in-flight 16 --items $QUERY_ITEMS" ;;
    *) echo "ab_serve.sh: unknown workload $1" >&2; exit 2 ;;
  esac
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in $WORKLOADS; do
  for r in $(seq "$ROUNDS"); do
    for side in old new; do
      ep="http://127.0.0.1:${PORT[$side]}"
      prefix=k
      [[ $w == put* ]] && prefix="$w-$r-"
      before=$(cpu_ticks "${PID[$side]}")
      # shellcheck disable=SC2046  # args_for prints a list of flags
      line=$(timeout 60 "$LOAD" --endpoint "$ep" --duration-seconds "$DURATION" $(args_for "$w") \
             --key-prefix "$prefix")
      after=$(cpu_ticks "${PID[$side]}")
      srv=$(awk -v t=$((after - before)) -v tck="$TCK" -v ops="$(kv "$line" ops)" \
            'BEGIN { printf "%.1f", (ops > 0 ? t / tck * 1e6 / ops : 0) }')
      echo "$w $side $srv $(kv "$line" ops_per_s) $(kv "$line" p50_us) $(kv "$line" errors)" \
        | tee -a "$WORK/results"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians: workload side server_us_per_op ops_per_s p50_us"
for w in $WORKLOADS; do
  for side in old new; do
    pick() { awk -v w="$w" -v s="$side" -v c="$1" '$1 == w && $2 == s { print $c }' "$WORK/results" | median; }
    echo "$w $side $(pick 3) $(pick 4) $(pick 5)"
  done
done
