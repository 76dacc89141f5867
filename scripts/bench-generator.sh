#!/usr/bin/env bash
# Times the COIN generator in this library (SameDiff) and in PyTorch (Debian's python3-torch) on the same machine in
# the same run, case by case and thread count by thread count, alternating, and prints medians and the
# SameDiff/PyTorch ratio. The load average before and after is printed: a ratio measured beside other work is not
# a figure (on 2 cores every multi-threaded op stalls when another process runs).
# Usage: scripts/bench-generator.sh [repeats] [case ...]   e.g. scripts/bench-generator.sh 5 b16x4 b64x4
#   BENCH_THREADS="1 2" (default) thread counts; BENCH_PROFILE=1 adds SameDiff's per-op profile (PROFILE lines).
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"; shift || true
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(b16x4 b16x16 b64x4 b64x16)
threads="${BENCH_THREADS:-1 2}"
PY=/usr/bin/python3
$PY -c 'import torch' 2>/dev/null || { echo "PyTorch missing: apt-get install python3-torch" >&2; exit 2; }
# coin-examples pins the dependency plugin's output file to target/jshell.classpath (the JShell recipe uses it too)
mvn -B -q -pl coin-examples -am compile dependency:build-classpath >/dev/null
cp="coin-examples/target/classes:coin-core/target/classes:coin-data/target/classes:coin-losses/target/classes:$(cat coin-examples/target/jshell.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
out=$(mktemp)
for t in $threads; do
  for c in "${cases[@]}"; do
    OMP_NUM_THREADS=$t java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=20G -Dorg.bytedeco.javacpp.maxphysicalbytes=22G \
      -Dcoin.bench.profile="${BENCH_PROFILE:+true}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
      dev.coin.examples.bench.GeneratorBenchmark "$repeats" "$c" | grep -E '^(RESULT|PROFILE)' \
      | sed "s/^RESULT java $c /RESULT java ${c}t$t /" | tee -a "$out"
    BENCH_THREADS=$t $PY scripts/bench_generator_torch.py "$repeats" "$c" | grep '^RESULT' \
      | sed "s/^RESULT torch $c /RESULT torch ${c}t$t /" | tee -a "$out"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-10s %-6s %12s %12s %8s %14s\n' case phase samediff_s pytorch_s ratio peakRSS_MiB_sd/pt
grep '^RESULT' "$out" | awk '{k=$3" "$4; v[$2" "k]=$5; r[$2" "k]=$8; if(!(k in seen)){seen[k]=1; order[++n]=k}}
     END{for(i=1;i<=n;i++){k=order[i]; split(k,a," "); j=v["java "k]; t=v["torch "k];
         printf "%-10s %-6s %12.3f %12.3f %8.2f %9s/%s\n", a[1], a[2], j, t, (t>0?j/t:0), r["java "k], r["torch "k]}}'
rm -f "$out"
