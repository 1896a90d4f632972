#!/usr/bin/env bash
# The same benchmarks, run by an older revision and then by this checkout, one after the other in one window, so the
# ratio compares like with like on a shared machine (issue 12's before/after; BENCHMARKS.md).
#
#   tools/bench-before-after.sh OLD_REV [OUT_DIR]     e.g. tools/bench-before-after.sh 54b1e42
#
# Builds OLD_REV in a git worktree beside this checkout (../depthstream-bench-<rev>), then runs bench-methods and
# bench-node (short windows) with each. Results: OUT_DIR (default out/before-after)/{old,new}/, JSON and logs.
# Run it on a quiet machine: check `uptime` first.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: tools/bench-before-after.sh OLD_REV [OUT_DIR]}
out=$(realpath -m "${2:-out/before-after}")
old=$(realpath -m "../depthstream-bench-$rev")
JO="-XX:+UseG1GC -XX:G1HeapRegionSize=8m -Xmx2g"
NODE_ARGS="--runs 50 --warmup 10 --bare-seconds 10 --e2e-duration 30s --e2e-warm-up 10s --steady-warm-up 40s
  --steady-window 60s --accuracy-frames 2"

[ -d "$old" ] || git worktree add --detach "$old" "$rev" >/dev/null
echo "building $rev in $old ..." >&2
(cd "$old" && mvn -B -q -DskipTests -Dspotless.check.skip=true package)
echo "building this checkout ..." >&2
mvn -B -q -DskipTests package

jar_of() { ls "$1"/target/*.jar | grep -v -- '-sources\|-tests' | head -n 1; }
module() { # checkout name: the module directory (tools/ since the restructure)
  if [ -d "$1/tools/$2" ]; then echo "$1/tools/$2"; else echo "$1/$2"; fi
}
mkdir -p "$out/old" "$out/new"
for side in old new; do
  dir=$([ "$side" = old ] && echo "$old" || pwd)
  tools=$(module "$dir" depth-tools)
  demo=$(module "$dir" demo)
  echo "== $side: bench-methods, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  (cd "$dir" && java $JO -cp "$(jar_of "$tools"):$tools/target/lib/*" io.depthstream.tools.bench.MethodBench \
      --json "$out/$side/bench-methods.json" > "$out/$side/bench-methods.log" 2>&1)
done
for side in old new; do
  dir=$([ "$side" = old ] && echo "$old" || pwd)
  demo=$(module "$dir" demo)
  echo "== $side: bench-node, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  # shellcheck disable=SC2086
  (cd "$dir" && java $JO -cp "$(jar_of "$demo"):$demo/target/lib/*" io.depthstream.demo.NodeBenchCommand $NODE_ARGS \
      --out "$out/$side/bench-node" > "$out/$side/bench-node.log" 2>&1)
done
echo "results in $out/{old,new}" >&2
