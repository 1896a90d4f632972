#!/usr/bin/env bash
# Cold start, A against B (issue 16): fresh JVMs of the demo (embedded broker + node, bench-node's stream or robot
# mix), alternating A, B, A, B, ... in one window, so each measure is compared with the same run without it.
# Each run is a new JVM: the first seconds after the node starts serving are what a cold node gives a robot.
#
#   A_OPTS="..." A_SET="key=value ..." B_OPTS="..." B_SET="..." tools/bench-cold-start.sh MIX ROUNDS OUT_DIR
#
# MIX: stream (2 x 30 fps 640x480 fast_interp_x4, bench-node's 2-sensor part) or robot (LiDAR 1242x375 10 Hz
# fast_interp_x4, RGB-D 640x480 30 Hz inpaint, vSLAM 640x480 30 Hz fast_interp_x4). A_OPTS/B_OPTS: JVM options
# (default: the launcher's "-XX:+UseG1GC -XX:G1HeapRegionSize=8m -Xmx2g"); A_SET/B_SET: node settings (--set).
# DURATION (default 40s) and WARM_UP (10s) as the demo's --duration and --warm-up. Prints one line per run and the
# medians of: the first WARM_UP after the node starts serving (p50, p99, skipped), the window after it (p50, p99,
# skipped), the node's start-up (JVM start to partitions assigned, less the drive's rendering) and the JVM's CPU
# seconds in the first window, the JIT compiler's and in all (load-independent, unlike the latencies). Needs a built
# tools/demo (./depthstream demo --help builds it). Run it at normal priority and note `uptime`.
set -euo pipefail
cd "$(dirname "$0")/.."
mix=${1:?usage: tools/bench-cold-start.sh stream|robot ROUNDS OUT_DIR}
rounds=${2:?rounds}
out=${3:?out dir}
default_opts="-XX:+UseG1GC -XX:G1HeapRegionSize=8m -Xmx2g"
A_OPTS=${A_OPTS:-$default_opts}
B_OPTS=${B_OPTS:-$default_opts}
A_SET=${A_SET:-}
B_SET=${B_SET:-}
case $mix in
  stream) mix_args=(--lidar-size 640x480 --lidar-hz 30 --vslam-hz 30 --rgbd-hz 0
    --set depthstream.method.lidar=fast_interp_x4 --set depthstream.method.vslam=fast_interp_x4) ;;
  robot) mix_args=(--lidar-size 1242x375 --lidar-hz 10 --rgbd-hz 30 --vslam-hz 30
    --set depthstream.method.lidar=fast_interp_x4 --set depthstream.method.rgbd=inpaint
    --set depthstream.method.vslam=fast_interp_x4) ;;
  *) echo "MIX must be stream or robot, not $mix" >&2; exit 2 ;;
esac
jar=$(ls tools/demo/target/*.jar | grep -v -- '-sources\|-tests' | head -n 1)
mkdir -p "$out"
for ((round = 1; round <= rounds; round++)); do
  for side in A B; do
    opts_var=${side}_OPTS; set_var=${side}_SET
    sets=()
    for kv in ${!set_var}; do sets+=(--set "$kv"); done
    run="$out/$side-$round"
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    java ${!opts_var} -cp "$jar:tools/demo/target/lib/*" io.depthstream.demo.DemoCommand "${mix_args[@]}" \
      --duration "${DURATION:-40s}" --warm-up "${WARM_UP:-10s}" --set depthstream.metrics.port=0 \
      ${sets[@]+"${sets[@]}"} --summary "$run.json" --pictures "$run-pictures" > "$run.log" 2>&1
    python3 tools/cold-start-row.py "$side" "$round" "$load" "$run.json" "$run.log" | tee -a "$out/runs.tsv"
  done
done
python3 tools/cold-start-row.py --medians "$out/runs.tsv" | tee "$out/medians.md"
