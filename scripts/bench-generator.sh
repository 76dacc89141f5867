#!/usr/bin/env bash
# Times the COIN generator in this library (SameDiff) and in PyTorch (Debian's python3-torch, 2 threads) on the
# same machine in the same run, case by case, alternating, and prints medians and the SameDiff/PyTorch ratio.
# Usage: scripts/bench-generator.sh [repeats] [case ...]   e.g. scripts/bench-generator.sh 5 b16x4 b64x4
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"; shift || true
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(b16x4 b16x16 b64x4 b64x16)
PY=/usr/bin/python3
$PY -c 'import torch' 2>/dev/null || { echo "PyTorch missing: apt-get install python3-torch" >&2; exit 2; }
mvn -B -q -pl coin-examples -am compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="coin-examples/target/classes:coin-core/target/classes:coin-data/target/classes:coin-losses/target/classes:$(cat coin-examples/target/bench.cp)"
out=$(mktemp)
for c in "${cases[@]}"; do
  java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=20G -Dorg.bytedeco.javacpp.maxphysicalbytes=22G \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.coin.examples.bench.GeneratorBenchmark "$repeats" "$c" \
    | grep '^RESULT' | tee -a "$out"
  $PY scripts/bench_generator_torch.py "$repeats" "$c" | grep '^RESULT' | tee -a "$out"
done
echo
printf '%-8s %-6s %12s %12s %8s %14s\n' case phase samediff_s pytorch_s ratio peakRSS_MiB_sd/pt
awk '{k=$3" "$4; v[$2" "k]=$5; r[$2" "k]=$8; if(!(k in seen)){seen[k]=1; order[++n]=k}}
     END{for(i=1;i<=n;i++){k=order[i]; split(k,a," "); j=v["java "k]; t=v["torch "k];
         printf "%-8s %-6s %12.3f %12.3f %8.2f %9s/%s\n", a[1], a[2], j, t, (t>0?j/t:0), r["java "k], r["torch "k]}}' "$out"
rm -f "$out"
