#!/bin/sh
# Prints the figures of docs/performance.md on this machine:
#   - ns per evaluation (best of 5 rounds of 20,000; serving 2,000) and instructions per evaluation
#     (callgrind, the timed loop only) for the decode, training, batch "max" and serving cases of
#     bench/bench_cases.hpp;
#   - `headroom eval` throughput on a 10,000-line file of public validation cases
#     (bench/make_eval_input.py), from a file and through a pipe, best of 3;
#   - the compile time of a translation unit that includes headroom/headroom.hpp (-O2, no ccache);
#   - the planner over the whole catalog (training 70B and 8B, inference, serving) and a catalog sweep
#     of a prepared job (bench/plan_cost.cpp): ns (best of 3 rounds) and instructions (callgrind).
# Usage: bench/measure.sh [BUILD_DIR]   (default build/release: cmake --preset release, then
#        cmake --build build/release --target headroom headroom_eval_cost headroom_plan_cost
#        headroom_serving_cost)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$ROOT/build/release}
CXX=${CXX:-c++}
TMP=${TMPDIR:-/tmp}/headroom-measure.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
now() { date +%s.%N; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "compiler: $($CXX --version | head -1)"

for c in decode training batch_max; do
  ns=$("$B/bench/headroom_eval_cost" "$c" 20000 | awk '{print $2}')
  if command -v valgrind >/dev/null 2>&1; then
    n=500
    ir=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/cg.out" \
           "$B/bench/headroom_eval_cost" "$c" $n 2>&1 | awk '/Collected/ {print $NF}')
    ipe=$(awk -v ir="$ir" -v n=$n 'BEGIN {printf "%.0f", ir / n}')
  else
    ipe="(valgrind not found)"
  fi
  echo "evaluate $c: $ns ns, $ipe instructions per evaluation"
done
# The serving case (bench/serving_cost.cpp evaluate): fewer calls, each is some 40k instructions.
ns=$("$B/bench/headroom_serving_cost" evaluate 2000 | awk '{print $2}')
if command -v valgrind >/dev/null 2>&1; then
  ir=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/cg-serving.out" \
         "$B/bench/headroom_serving_cost" evaluate 100 2>&1 | awk '/Collected/ {print $NF}')
  ipe=$(awk -v ir="$ir" 'BEGIN {printf "%.0f", ir / 100}')
else
  ipe="(valgrind not found)"
fi
echo "evaluate serving: $ns ns, $ipe instructions per evaluation"

# instructions per call of headroom_plan_cost CASE under callgrind, N calls, divided by N and DIV.
plan_ir() {
  if command -v valgrind >/dev/null 2>&1; then
    ir=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/cg-plan.out" \
           "$B/bench/headroom_plan_cost" "$1" "$2" 2>&1 | awk '/Collected/ {print $NF}')
    awk -v ir="$ir" -v n="$2" -v d="$3" 'BEGIN {printf "%.0f", ir / n / d}'
  else
    echo "(valgrind not found)"
  fi
}
for c in train70b train8b inference serving; do
  ns=$("$B/bench/headroom_plan_cost" "$c" 5 | awk '{print $2}')
  echo "plan $c: $(awk -v ns="$ns" 'BEGIN {printf "%.2f", ns / 1e6}') ms, $(plan_ir "$c" 1 1) instructions"
done
gpus=$("$B/bench/headroom_plan_cost" sweep 1 | sed 's/.*(\([0-9]*\) GPUs).*/\1/')
for c in sweep sweep_plain; do
  ns=$("$B/bench/headroom_plan_cost" "$c" 2000 | awk '{print $2}')
  echo "catalog $c (decode case): $ns ns, $(plan_ir "$c" 20 "$gpus") instructions per GPU"
done
ns=$("$B/bench/headroom_plan_cost" decode_cold 20000 | awk '{print $2}')
echo "prepare + time_on (decode case, cold): $ns ns, $(plan_ir decode_cold 500 1) instructions"

python3 "$ROOT/bench/make_eval_input.py" 10000 > "$TMP/cases.jsonl"
best_file=1e9
best_pipe=1e9
for i in 1 2 3; do
  t0=$(now); "$B/bin/headroom" eval --input "$TMP/cases.jsonl" --output "$TMP/answers.jsonl"; t1=$(now)
  best_file=$(awk -v a="$best_file" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {print (t < a ? t : a)}')
  t0=$(now); cat "$TMP/cases.jsonl" | "$B/bin/headroom" eval > "$TMP/answers-pipe.jsonl"; t1=$(now)
  best_pipe=$(awk -v a="$best_pipe" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {print (t < a ? t : a)}')
done
cmp -s "$TMP/answers.jsonl" "$TMP/answers-pipe.jsonl" || echo "warning: file and pipe answers differ"
awk -v t="$best_file" 'BEGIN {printf "headroom eval, 10000 lines from a file: %.3f s, %.0f cases/s\n", t, 10000 / t}'
awk -v t="$best_pipe" 'BEGIN {printf "headroom eval, 10000 lines through a pipe: %.3f s, %.0f cases/s\n", t, 10000 / t}'

t0=$(now)
if [ -x /usr/bin/time ]; then
  cpu=$(/usr/bin/time -f "%U %S" "$CXX" -std=c++20 -O2 -I"$ROOT/include" -c "$ROOT/bench/include_headroom.cpp" \
          -o "$TMP/tu.o" 2>&1 | tail -1 | awk '{print $1 + $2}')
else
  "$CXX" -std=c++20 -O2 -I"$ROOT/include" -c "$ROOT/bench/include_headroom.cpp" -o "$TMP/tu.o"
  cpu="?"
fi
t1=$(now)
echo "compile time, one TU including headroom/headroom.hpp (-O2): $(echo "$t1 - $t0" | bc) s wall, $cpu s CPU"
