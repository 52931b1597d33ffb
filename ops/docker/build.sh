#!/usr/bin/env bash
# Builds the API and worker jars and writes each module's runtime classpath, in Maven's order, to
# MODULE/target/runtime-classpath.txt (what layout.sh copies). The Dockerfile's build stages run it;
# ops/deploy-check runs it here.
#   ops/docker/build.sh [MAVEN_ARGS...]    e.g. -Pgpu (the CUDA 12 / cuDNN 9 TensorFlow), -o (offline), -q
set -euo pipefail
cd "$(dirname "$0")/../.."
# why: outside an image the machine's default java may be 17; java.sh finds a JDK 21+ (the image's is on JAVA_HOME)
. ops/lib/java.sh
# why: -am builds what api and worker need from this tree (common, and the test-only modules their tests use),
# never a SNAPSHOT from ~/.m2; runtime scope is what a node loads
mvn -B -ntp package -DskipTests -pl api,worker -am \
  dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt "$@"
