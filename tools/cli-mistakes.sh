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
# The example LiDAR connector, reading an empty directory that exists here.
mkdir -p "$work/scans"
lidar=$work/lidar-source.properties
sed "s#^input.dir=.*#input.dir=$work/scans#" config/connect/lidar-source.properties > "$lidar"
wrong=0

# Build once, quietly, so no build output lands in the transcript.
for command in demo node eval; do
  ./depthstream $command --help >/dev/null 2>&1
done

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
try demo --colour red
try demo --durration 20s
try demo --duration soon
try demo --lidar-size 1242
try demo --config no/such.properties
try demo --replay no/such.mcap
try demo --set depthstream.method.lidar=cubic
try demo --set depthstream.realtime.budget.ms=soon

echo "## node" >> "$out"
try node --colour
try node --config no/such.properties
try node -c config/depthstream.properties --set depthstream.method.lidar=cubic
try node -c config/depthstream.properties --set depthstream.realtime.budget.ms=soon
try node -c config/depthstream.properties --set depthstream.realtime.budjet.ms=10
try node -c config/depthstream.properties --set bootstrap.servers=$nobroker \
  --set depthstream.startup.check.timeout.ms=3000 --set depthstream.metrics.port=0

echo "## eval" >> "$out"
try eval --dataset tum --method inpaint --task sparse --colour
try eval --dataset kitty --method bicubic --task sr
try eval --dataset tum --method cubic --task sparse
try eval --dataset tum --method inpaint --task dense
try eval --dataset tum --method inpaint --task sparse --pattern poisson:p=0.1
try eval --dir no/such/dir --format tum --max 10 --method inpaint --task sparse
run_and_record 2 6 eval --dataset kitty --method bicubic --task sr --verbose

echo "## sweep" >> "$out"
help_of 12 sweep --help
try sweep tabel
try sweep table 1
try sweep table 8 --data-dir no/such/dir

echo "## bench-methods" >> "$out"
try bench-methods --methods inpaint,cubic
try bench-methods --sizes 640by480
try bench-methods --models-dir no/such/models

echo "## bench-model" >> "$out"
try bench-model --model fast_interp_x5
try bench-model --size 640by480
try bench-model --provider tpu

echo "## bench-node" >> "$out"
try bench-node --fast fast_interp_x5
try bench-node --runs 0
try bench-node --config no/such.properties

echo "## export-shards" >> "$out"
try export-shards --count 4
try export-shards --out "$work/shards" --patterns poisson:p=0.1
try export-shards --out "$work/drive.mcap" --count 1 --quiet

echo "## source" >> "$out"
try source --source sonar -c $lidar --bootstrap-servers $nobroker
try source --source lidar -c no/such.properties --bootstrap-servers $nobroker
try source --source lidar -c config/connect/lidar-source.properties --bootstrap-servers $nobroker
try source --source lidar -c $lidar --set image.width=wide --bootstrap-servers $nobroker
try source --source lidar -c $lidar --client-config no/such-client.properties
try source --source lidar -c $lidar --bootstrap-servers $nobroker --connect-timeout 3 --offsets "$work/offsets"

echo "## record" >> "$out"
try record -t depth.raw.lidar --bootstrap-servers $nobroker
try record -t depth.raw.lidar -o "$work/x.mcap" --duration soon --bootstrap-servers $nobroker
try record -t depth.raw.lidar -o "$work/x.mcap" --type depth.raw.lidar=Frames --bootstrap-servers $nobroker
try record -t depth.raw.lidar -o "$work/x.mcap" --bootstrap-servers $nobroker --connect-timeout 3

echo "## play" >> "$out"
try play no/such.mcap --bootstrap-servers $nobroker
try play "$work/drive.mcap" --rate fast --bootstrap-servers $nobroker
try play "$work/drive.mcap" --bootstrap-servers $nobroker --connect-timeout 3

echo "## connect-bench" >> "$out"
try connect-bench --data no/such/data
try connect-bench --frames 0

echo "## launcher" >> "$out"
try evaluate --dataset tum

echo "$wrong of the commands above ended with another exit code than expected" >> "$out"
echo "transcript written to $out ($wrong unexpected exit codes)" >&2
[ "$wrong" -eq 0 ]
