#!/usr/bin/env bash
# The transcript of issue 13's user mistakes: runs each through the real launcher (./depthstream <command> ...) and
# records the command, its exit code and everything it printed (stdout and stderr together), as markdown.
#
#   tools/cli-mistakes.sh [OUT.md]        default out/cli-mistakes.md; the launcher builds what it needs first
#
# Exit code 0 when every mistake ended with exit code 2 (the --help rows with 0), 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/cli-mistakes.md}
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'not an MCAP file\n' > "$work/drive.mcap"
# Nothing listens on port 1 of the loopback interface: the unreachable broker.
nobroker=127.0.0.1:1
lidar=config/connect/lidar-source.properties
wrong=0

# Build once, quietly, so no build output lands in the transcript.
./depthstream demo --help >/dev/null 2>&1
./depthstream eval --help >/dev/null 2>&1

{
  echo "# User mistakes through ./depthstream ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Each row: the command, its exit code, and everything it printed."
  echo
} > "$out"

# run_and_record EXPECTED_EXIT LINES COMMAND ARGS...: runs ./depthstream COMMAND ARGS... and appends the command,
# what it printed (its first LINES lines; 0 = all) and its exit code to the transcript.
run_and_record() {
  local expected=$1 lines=$2
  shift 2
  local printed code
  printed=$(./depthstream "$@" 2>&1 < /dev/null)
  code=$?
  [ "$code" -eq "$expected" ] || wrong=$((wrong + 1))
  [ "$lines" -gt 0 ] && printed=$(echo "$printed" | head -n "$lines")
  {
    echo "\`\`\`"
    echo "\$ ./depthstream $*$([ "$lines" -gt 0 ] && echo "    # first $lines lines")"
    echo "$printed"
    echo "[exit $code]"
    echo "\`\`\`"
    echo
  } >> "$out"
  echo "exit $code (expected $expected): ./depthstream $*" >&2
}

try() { run_and_record 2 0 "$@"; }
help_of() { run_and_record 0 "$@"; }

echo "## demo" >> "$out"
try 2 demo --colour red
try 2 demo --durration 20s
try 2 demo --duration soon
try 2 demo --lidar-size 1242
try 2 demo --config no/such.properties
try 2 demo --replay no/such.mcap
try 2 demo --set depthstream.method.lidar=cubic
try 2 demo --set depthstream.realtime.budget.ms=soon

echo "## node" >> "$out"
try 2 node --colour
try 2 node --config no/such.properties
try 2 node -c config/depthstream.properties --set depthstream.method.lidar=cubic
try 2 node -c config/depthstream.properties --set depthstream.realtime.budget.ms=soon
try 2 node -c config/depthstream.properties --set depthstream.realtime.budjet.ms=10
try 2 node -c config/depthstream.properties --set bootstrap.servers=$nobroker \
  --set depthstream.startup.check.timeout.ms=3000 --set depthstream.metrics.port=0

echo "## eval" >> "$out"
try 2 eval --dataset tum --method inpaint --task sparse --colour
try 2 eval --dataset kitty --method bicubic --task sr
try 2 eval --dataset tum --method cubic --task sparse
try 2 eval --dataset tum --method inpaint --task dense
try 2 eval --dataset tum --method inpaint --task sparse --pattern poisson:p=0.1
try 2 eval --dir no/such/dir --format tum --max 10 --method inpaint --task sparse
run_and_record 2 6 eval --dataset kitty --method bicubic --task sr --verbose

echo "## sweep" >> "$out"
help_of 12 sweep --help
try 2 sweep tabel
try 2 sweep table 1
try 2 sweep table 8 --data-dir no/such/dir

echo "## bench-methods" >> "$out"
try 2 bench-methods --methods inpaint,cubic
try 2 bench-methods --sizes 640by480
try 2 bench-methods --models-dir no/such/models

echo "## bench-node" >> "$out"
try 2 bench-node --fast fast_interp_x5
try 2 bench-node --runs 0
try 2 bench-node --config no/such.properties

echo "## export-shards" >> "$out"
try 2 export-shards --count 4
try 2 export-shards --out "$work/shards" --patterns poisson:p=0.1
try 2 export-shards --out "$work/drive.mcap" --count 1 --quiet

echo "## source" >> "$out"
try 2 source --source sonar -c $lidar --bootstrap-servers $nobroker
try 2 source --source lidar -c no/such.properties --bootstrap-servers $nobroker
try 2 source --source lidar -c $lidar --set image.width=wide --bootstrap-servers $nobroker
try 2 source --source lidar -c $lidar --client-config no/such-client.properties
try 2 source --source lidar -c $lidar --bootstrap-servers $nobroker --connect-timeout 3 --offsets "$work/offsets"

echo "## record" >> "$out"
try 2 record -t depth.raw.lidar --bootstrap-servers $nobroker
try 2 record -t depth.raw.lidar -o "$work/x.mcap" --duration soon --bootstrap-servers $nobroker
try 2 record -t depth.raw.lidar -o "$work/x.mcap" --type depth.raw.lidar=Frames --bootstrap-servers $nobroker
try 2 record -t depth.raw.lidar -o "$work/x.mcap" --bootstrap-servers $nobroker --connect-timeout 3

echo "## play" >> "$out"
try 2 play no/such.mcap --bootstrap-servers $nobroker
try 2 play "$work/drive.mcap" --rate fast --bootstrap-servers $nobroker
try 2 play "$work/drive.mcap" --bootstrap-servers $nobroker --connect-timeout 3

echo "## connect-bench" >> "$out"
try 2 connect-bench --data no/such/data
try 2 connect-bench --frames 0

echo "## launcher" >> "$out"
try 2 evaluate --dataset tum

echo "$wrong of the commands above ended with another exit code than expected" >> "$out"
echo "transcript written to $out ($wrong unexpected exit codes)" >&2
[ "$wrong" -eq 0 ]
