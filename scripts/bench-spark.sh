#!/usr/bin/env bash
# Scans per minute of the single-machine path and of the Spark jobs in local mode (SparkBenchmark).
# Usage: scripts/bench-spark.sh [scans=6] [matrix=96] [slice size=32] [spark threads=2]
# Builds coin-examples, writes its test class path (Spark is a provided dependency, so the compile class path lacks
# it) and runs the benchmark with Spark's Java 17 flags and a physical-memory cap.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=coin-examples/target/bench.classpath
mvn -B -q -pl coin-examples -am compile >/dev/null
# coin-examples' own class path only (with -am every module would write the file); the modules' fresh classes go first
mvn -B -q -pl coin-examples dependency:build-classpath -Dclasspath.scope=test -Dclasspath.file="$PWD/$cp_file" \
    >/dev/null
java -Xmx3g -Dorg.bytedeco.javacpp.maxphysicalbytes=8G $(tr '\n' ' ' < coin-examples/spark-jvm-flags.txt) \
    -cp "coin-examples/target/classes:coin-core/target/classes:coin-losses/target/classes:coin-data/target/classes:$(cat "$cp_file")" \
    dev.coin.examples.bench.SparkBenchmark "${1:-6}" "${2:-96}" "${3:-32}" "${4:-2}"
