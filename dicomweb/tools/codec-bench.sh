#!/usr/bin/env bash
# The codec's benchmarks (org.arca.dicom.bench.CodecBench): index parse, JSON against
# dcm2json, PNG rendering. Prints a Markdown table; numbers are never asserted anywhere.
#   dicomweb/tools/codec-bench.sh                       # 10,000 files in $TMPDIR/arca-codec-bench
#   dicomweb/tools/codec-bench.sh /data/scratch --json-files 1000 --render-runs 200 --passes 5
# Needs Java 21+ (JAVA_HOME or java on the PATH) and, for the comparison, dcm2json (apt-get install dcmtk).
# Extra Maven flags (e.g. -o for offline) go in ARCA_MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The benchmark lives in the benchmarks module, outside the product; its jar carries the codec too.
[ -f benchmarks/target/arca-bench.jar ] || ./mvnw -B -q ${ARCA_MVN_FLAGS:-} -DskipTests package
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g -cp benchmarks/target/arca-bench.jar \
  org.arca.dicom.bench.CodecBench "$@"
