#!/usr/bin/env bash
# The client side of issue 8, in one run on this machine:
#   1. client CPU per GetItem/PutItem through moe::DynamoDbClient (curl
#      transport, SigV4 on every request, retries, the model codec) against
#      `moe serve` and dynalite: `moe_load --via client`, next to the raw
#      epoll client (`--via raw`) for reference;
#   2. the batch writer (moe::BatchWriter through `moe_load --via client --op
#      batch`) into `moe serve` against the JavaScript SDK v3's
#      BatchWriteItem of 25 items (bench/js/batch_write.mjs) into dynalite,
#      with the same items and the same number of requests in flight.
#
#   bench/client_bench.sh       # needs build-bench/bin/{moe,moe_load}, testservers/, node
#   DURATION=3 REPS=3 IN_FLIGHT=16 BUILD=build-bench bench/client_bench.sh
#
# The JavaScript SDK is installed on demand into bench/js/node_modules from
# the committed lockfile (npm ci); `make test` never installs it. Runs
# alternate between the two sides, REPS times each; medians are printed.
# Everything started here is stopped by pid on exit; the whole run is
# stopped after LIMIT seconds (default 600).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
MOE=$BUILD/bin/moe
LOAD=$BUILD/bin/moe_load
DYNALITE=${DYNALITE:-$ROOT/testservers/node_modules/dynalite/cli.js}
DURATION=${DURATION:-3}
REPS=${REPS:-3}
IN_FLIGHT=${IN_FLIGHT:-16}
LIMIT=${LIMIT:-600}
KEYS=10000
export AWS_ACCESS_KEY_ID=AKIDLOAD AWS_SECRET_ACCESS_KEY=load-secret AWS_REGION=us-east-1

for f in "$MOE" "$LOAD" "$DYNALITE"; do
  [[ -e $f ]] || { echo "client_bench.sh: missing $f" >&2; exit 2; }
done
if [[ ! -d $ROOT/bench/js/node_modules/@aws-sdk/client-dynamodb ]]; then
  echo "client_bench.sh: installing the JavaScript SDK (bench/js, npm ci)" >&2
  (cd "$ROOT/bench/js" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
fi

source "$ROOT/bench/lib.sh"
bench_watchdog "$LIMIT"

dyn_port=$(free_port)
node "$DYNALITE" --port "$dyn_port" --host 127.0.0.1 >/dev/null 2>&1 &
PIDS+=($!)
moe_port=$(free_port)
"$MOE" serve --port "$moe_port" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$dyn_port"
wait_port "$moe_port"
declare -A endpoint=([dyn]=http://127.0.0.1:$dyn_port [moe]=http://127.0.0.1:$moe_port)
for s in dyn moe; do
  timeout 30 "$MOE" --endpoint "${endpoint[$s]}" tables create bench --hash pk:S --range sk:S \
    --on-demand >/dev/null
  timeout 120 "$LOAD" --endpoint "${endpoint[$s]}" --op put --requests "$KEYS" --key-prefix k \
    --in-flight 16 --duration-seconds 100 >/dev/null
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$(mktemp)
# one LABEL SERVER ARGS...: a measured run, its line kept under LABEL.
one() {
  local label=$1 server=$2
  shift 2
  local line
  line=$(timeout 90 "$@" 2>&1 | tail -1) || true
  echo "  $label: $line" >&2
  echo "$label $(kv "$line" ops_per_s) $(kv "$line" client_cpu_us_per_op) $(kv "$line" p50_us) $(kv "$line" errors) $(kv "$line" items_per_s)" >>"$results"
}
for rep in $(seq "$REPS"); do
  for s in moe dyn; do
    for op in get put; do
      for n in 1 "$IN_FLIGHT"; do
        # Puts write new keys (a prefix per run); gets read the loaded k0..k9999.
        [[ $op == put ]] && prefix="c$op$n-$rep-" || prefix=k
        one "$s-$op$n-client" "$s" "$LOAD" --via client --endpoint "${endpoint[$s]}" --op "$op" \
          --in-flight "$n" --duration-seconds "$DURATION" --key-prefix "$prefix" --keys "$KEYS"
        [[ $op == put ]] && prefix="r$op$n-$rep-" || prefix=k
        one "$s-$op$n-raw" "$s" "$LOAD" --endpoint "${endpoint[$s]}" --op "$op" \
          --in-flight "$n" --duration-seconds "$DURATION" --key-prefix "$prefix" --keys "$KEYS"
      done
    done
  done
  one "moe-batch-writer" moe "$LOAD" --via client --endpoint "${endpoint[moe]}" --op batch \
    --in-flight "$IN_FLIGHT" --duration-seconds "$DURATION" --key-prefix "b$rep-"
  one "dyn-batch-js" dyn node "$ROOT/bench/js/batch_write.mjs" --endpoint "${endpoint[dyn]}" \
    --in-flight "$IN_FLIGHT" --duration-seconds "$DURATION" --key-prefix "js$rep-"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '%-20s %10s %12s %10s %7s %12s\n' run ops/s cli_us/op p50_us errors items/s
for label in $(cut -d' ' -f1 "$results" | awk '!seen[$0]++'); do
  med() { awk -v l="$label" -v c="$1" '$1 == l { print $c }' "$results" | median; }
  printf '%-20s %10.0f %12.1f %10.1f %7s %12s\n' "$label" "$(med 2)" "$(med 3)" "$(med 4)" \
    "$(awk -v l="$label" '$1 == l { e += $5 } END { print e + 0 }' "$results")" \
    "$(awk -v l="$label" '$1 == l && $6 != "" { print $6 }' "$results" | median)"
done
moe_items=$(awk '$1 == "moe-batch-writer" { print $6 }' "$results" | median)
js_items=$(awk '$1 == "dyn-batch-js" { print $6 }' "$results" | median)
awk -v m="$moe_items" -v j="$js_items" -v n="$IN_FLIGHT" \
  'BEGIN { printf "batch: moe BatchWriter into moe serve %.0f items/s, JS SDK v3 into dynalite %.0f items/s, %d in flight: %.1fx\n", m, j, n, (j > 0 ? m / j : 0) }'
rm -f "$results"
