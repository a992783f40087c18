#!/usr/bin/env bash
# Wall time of the nightly suite on the embedded lab: one handset, then every profile with a virtual handset in
# parallel, each running all three flows (first-boot, contact-import, cloud-opt-out) through the Grid with real
# mitmdumps. Builds once first; reports go to a temporary directory, not reports/.
#   scripts/bench-lab.sh [--idle SECONDS] [--one PROFILE]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
idle=5
one=redmi-1s-miui5-2014
while [ $# -gt 0 ]; do
  case "$1" in
    --idle) idle="$2"; shift 2 ;;
    --one) one="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-lab.sh [--idle SECONDS] [--one PROFILE]" >&2; exit 2 ;;
  esac
done
cd "$home"
"$home/scripts/setup.sh" >&2
echo "bench-lab: building (mvn -q package -DskipTests) ..." >&2
mvn -B -q package -DskipTests >&2
cp="$home/suites/target/classes:$(cat "$home/suites/target/runtime-classpath.txt")"
out="$(mktemp -d -t consentry-bench-XXXXXX)"
trap 'rm -rf "$out"' EXIT

# Exit status 1 (a handset failed) is the expected outcome here; only 2 (usage/setup) stops the bench.
timed() {
  local name="$1"; shift
  local start end status=0
  start=$(date +%s.%N)
  java -Djava.awt.headless=true --add-modules jdk.incubator.vector -cp "$cp" dev.consentry.cli.Consentry \
    --home "$home" run --reports "$out/$name" --idle "$idle" "$@" > "$out/$name.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  if [ "$status" -ge 2 ]; then
    echo "bench-lab: the $name run failed with status $status:" >&2
    tail -20 "$out/$name.log" >&2
    exit 2
  fi
  local results
  results=$(grep -cE '^(PASS|FAIL|INCONCLUSIVE|SKIPPED) ' "$out/$name.log" || true)
  awk -v s="$start" -v e="$end" -v n="$name" -v r="$results" \
    'BEGIN { printf "%-28s %7.1f s  (%d results)\n", n, e - s, r }'
}

handsets=$(grep -l '^virtual:' device-profiles/*.yaml | wc -l)
echo "bench-lab: $(nproc) cores, idle ${idle}s per flow, 3 flows per handset"
timed "1 handset ($one)" --profiles "$one"
timed "$handsets handsets in parallel"
