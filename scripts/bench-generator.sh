#!/usr/bin/env bash
# Times COIN training steps in this library (SameDiff) and in PyTorch (Debian's python3-torch) on the same machine
# in the same run, case by case and thread count by thread count, alternating, and prints medians and the
# SameDiff/PyTorch ratio. The load average before and after is printed: a ratio measured beside other work is not
# a figure (on 2 cores every multi-threaded op stalls when another process runs).
# Cases (base = generator width base: 16 → 16…256, 64 → the reference's 64…1024; batch at 256²):
#   b<base>x<batch>     the generator alone: training step and inference (GeneratorBenchmark / bench_generator_torch.py)
#   d<base>x<batch>     a discriminator-only training step of the synthetic COIN preset   (CoinStepBenchmark /
#   coin<base>x<batch>  a full COIN step, generator update + discriminator update          bench_coin_torch.py)
#   r<base>x<batch>     a COIN-Aligned row-4 discriminator step: relativistic loss + exact R1/R2 (same two programs)
# Usage: scripts/bench-generator.sh [repeats] [case ...]   e.g. scripts/bench-generator.sh 3 b16x4 d16x4 coin16x4
#   BENCH_THREADS="1 2" (default) thread counts; BENCH_PROFILE=1 adds SameDiff's per-op profile (PROFILE lines,
#   generator cases); COIN_ENGINE=fit|fast (default fast) the library's execution engine; BENCH_TIMEOUT=<seconds>
#   stops a case that runs longer; BENCH_MALLOC=main runs both frameworks under the main job's glibc allocator settings
#   (MALLOC_ARENA_MAX=2, mmap and trim thresholds 1 MiB: freed large buffers go back to the system at once). A case
#   that fails (e.g. OutOfMemoryError under the off-heap cap) prints
#   "FAILED <framework> <case>t<threads>: <last error line>" and the others still run.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"; shift || true
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(b16x4 b16x16 b64x4 b64x16)
threads="${BENCH_THREADS:-1 2}"
engine="${COIN_ENGINE:-fast}"
PY=/usr/bin/python3
$PY -c 'import torch' 2>/dev/null || { echo "PyTorch missing: apt-get install python3-torch" >&2; exit 2; }
for c in "${cases[@]}"; do
  [[ "$c" =~ ^(b|d|coin|r)[0-9]+x[0-9]+$ ]] || { echo "unknown case '$c': use b|d|coin|r<base>x<batch>" >&2; exit 2; }
done
# coin-examples pins the dependency plugin's output file to target/jshell.classpath (the JShell recipe uses it too)
mvn -B -q -pl coin-examples -am compile dependency:build-classpath >/dev/null
cp="coin-examples/target/classes:coin-core/target/classes:coin-data/target/classes:coin-losses/target/classes:$(cat coin-examples/target/jshell.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; engine $engine"
out=$(mktemp)
log=$(mktemp)
trap 'rm -f "$out" "$log"' EXIT

# run_case <framework> <case> <threads> <command ...>: runs one benchmark process, keeps its RESULT/PROFILE lines
# (renamed <case>t<threads>), and on failure prints a FAILED line with the last error instead of stopping the run.
run_case() {
  local fw=$1 c=$2 t=$3 rc=0
  shift 3
  "$@" >"$log" 2>&1 || rc=$?
  { grep -E '^(RESULT|PROFILE)' "$log" || true; } | sed "s/^RESULT $fw $c /RESULT $fw ${c}t$t /" | tee -a "$out"
  if [ "$rc" -ne 0 ]; then
    local why
    why=$(grep -E 'Error|Exception|Killed|Traceback' "$log" | grep -vE '^\s+at ' | tail -n 1 || true)
    [ -n "$why" ] || why=$(tail -n 1 "$log")
    case $rc in
      124) why="timed out after ${BENCH_TIMEOUT:-?}s; $why" ;;
      137) why="killed (signal 9: out of memory?); $why" ;;
    esac
    echo "FAILED $fw ${c}t$t: exit $rc: $why" | tee -a "$out"
  fi
}

malloc=()
case "${BENCH_MALLOC:-}" in
  "") ;;
  main) malloc=(MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=1048576 MALLOC_TRIM_THRESHOLD_=1048576) ;;
  *) echo "BENCH_MALLOC='$BENCH_MALLOC': use main, or leave it unset for glibc's defaults" >&2; exit 2 ;;
esac
echo "allocator: ${malloc[*]:-glibc defaults}"
limit=()
[ -z "${BENCH_TIMEOUT:-}" ] || limit=(timeout "$BENCH_TIMEOUT")
for t in $threads; do
  for c in "${cases[@]}"; do
    if [[ "$c" == b* ]]; then
      jclass=dev.coin.examples.bench.GeneratorBenchmark; pyscript=scripts/bench_generator_torch.py
    else
      jclass=dev.coin.examples.bench.CoinStepBenchmark; pyscript=scripts/bench_coin_torch.py
    fi
    run_case java "$c" "$t" env "${malloc[@]}" OMP_NUM_THREADS="$t" "${limit[@]}" java -Xmx4g \
      -Dorg.bytedeco.javacpp.maxbytes=14G -Dorg.bytedeco.javacpp.maxphysicalbytes=16G -Dcoin.engine="$engine" \
      -Dcoin.bench.profile="${BENCH_PROFILE:+true}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
      "$jclass" "$repeats" "$c"
    run_case torch "$c" "$t" env "${malloc[@]}" BENCH_THREADS="$t" "${limit[@]}" $PY "$pyscript" "$repeats" "$c"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-12s %-6s %12s %12s %8s %14s\n' case phase samediff_s pytorch_s ratio peakRSS_MiB_sd/pt
grep '^RESULT' "$out" | awk '{k=$3" "$4; v[$2" "k]=$5; r[$2" "k]=$8; if(!(k in seen)){seen[k]=1; order[++n]=k}}
     END{for(i=1;i<=n;i++){k=order[i]; split(k,a," "); j=v["java "k]; t=v["torch "k];
         js=(j==""?"failed":sprintf("%.3f",j)); ts=(t==""?"failed":sprintf("%.3f",t));
         ra=(j!=""&&t>0?sprintf("%.2f",j/t):"-");
         printf "%-12s %-6s %12s %12s %8s %9s/%s\n", a[1], a[2], js, ts, ra,
                (j==""?"-":r["java "k]), (t==""?"-":r["torch "k])}}'
grep '^FAILED' "$out" || true
