#!/usr/bin/env bash
# Start-up of the node distribution with and without its class-sharing archive (issue 16, cold start), alternating
# off, on, off, on, ... in one window: milliseconds from launching bin/depthstream-node to its "depthstream node
# started" line (JVM start, class loading, models, both warm-ups, the topology built and started). No broker is
# needed: the start-up check is off and the node is stopped once the line appears.
#
#   tools/bench-node-start.sh ROUNDS [OUT_DIR]      (needs mvn package: stream-app/target/depthstream-node-*/)
#
# The archive is recorded first by one run against nothing (NODE_CDS=auto keeps only the archive of a run
# that served, so this bench records it with -XX:ArchiveClassesAtExit itself). Node settings: the robot mix's
# methods (fast_interp_x4, inpaint, fast_interp_x4). Run it at normal priority and note `uptime`.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:?usage: tools/bench-node-start.sh ROUNDS [OUT_DIR]}
out=$(realpath -m "${2:-out/node-start}")
dist=$(ls -d stream-app/target/depthstream-node-*/depthstream-node-*/ | head -n 1)
mkdir -p "$out"
archive="$out/node.jsa"
opts="-XX:+UseG1GC -XX:G1HeapRegionSize=8m"

# Prints the milliseconds from launch to the start line, then stops the node (SIGTERM) and waits for it.
start_ms() { # log extra-jvm-options...
  local log=$1 begin pid
  shift
  rm -f "$log"
  begin=$(date +%s%N)
  NODE_CDS=off JAVA_OPTS="$opts $*" "$dist/bin/depthstream-node" --set bootstrap.servers=127.0.0.1:9 \
    --set depthstream.startup.check.timeout.ms=0 --set depthstream.topics.create=false \
    --set depthstream.metrics.port=0 --set depthstream.method.lidar=fast_interp_x4 \
    --set depthstream.method.rgbd=inpaint --set depthstream.method.vslam=fast_interp_x4 > "$log" 2>&1 &
  pid=$!
  until grep -q "depthstream node started" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the node stopped before starting: $log" >&2; exit 1; }
    sleep 0.02
  done
  echo $((($(date +%s%N) - begin) / 1000000))
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
}

rm -f "$archive"
start_ms "$out/record.log" "-XX:ArchiveClassesAtExit=$archive -Xlog:cds=off -Xlog:cds+dynamic=off" > /dev/null
echo "archive: $(du -h "$archive" | cut -f1)"
printf 'round\tload\tno archive ms\tarchive ms\n' | tee "$out/runs.tsv"
for ((round = 1; round <= rounds; round++)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  off=$(start_ms "$out/off-$round.log")
  on=$(start_ms "$out/on-$round.log" "-XX:SharedArchiveFile=$archive")
  printf '%s\t%s\t%s\t%s\n' "$round" "$load" "$off" "$on" | tee -a "$out/runs.tsv"
done
python3 -c '
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()[1:]]
off = statistics.median(float(r[2]) for r in rows)
on = statistics.median(float(r[3]) for r in rows)
print("medians: no archive %.0f ms, archive %.0f ms, ratio %.2f" % (off, on, on / off))' "$out/runs.tsv"
