#!/usr/bin/env bash
# The codec's benchmarks (org.arca.dicom.bench.CodecBench): index parse, JSON against
# dcm2json, PNG rendering. Prints a Markdown table; numbers are never asserted anywhere.
#   dicomweb/tools/codec-bench.sh                       # 10,000 files in $TMPDIR/arca-codec-bench
#   dicomweb/tools/codec-bench.sh /data/scratch --json-files 1000 --render-runs 200 --passes 5
# Needs Java 21+ (JAVA_HOME or java on the PATH) and, for the comparison, dcm2json (apt-get install dcmtk).
# Extra Maven flags (e.g. -o for offline) go in ARCA_MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q ${ARCA_MVN_FLAGS:-} -pl dicomweb -am compile dependency:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g \
  -cp "dicomweb/target/classes:$(cat dicomweb/target/runtime-classpath.txt)" \
  org.arca.dicom.bench.CodecBench "$@"
