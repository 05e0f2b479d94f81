#!/usr/bin/env bash
# Start-up benchmarks: rctl beside podman (when installed), as an
# unprivileged user. Prints a markdown table of medians. Not a test.
#   contrib/bench.sh [RUNS]     (default 20 runs per figure)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
cargo build --release --locked -q

work=$(mktemp -d /tmp/rctl-bench.XXXXXX)
chmod 755 "$work"
install -m 0755 target/release/rctl "$work/rctl"
trap 'pkill -KILL -f "^$work/rctl" 2>/dev/null || true; rm -rf "$work" 2>/dev/null || true' EXIT

if [ "$(id -u)" -eq 0 ]; then
  user=rctl-test
  uid=$(id -u "$user")
  home=$work/home
  install -d -o "$user" -g "$user" -m 0700 "$home" "$work/run"
  as_user() {
    setpriv --reuid="$user" --regid="$user" --init-groups -- \
      env -i HOME="$home" USER="$user" XDG_RUNTIME_DIR="$work/run" \
      PATH=/usr/local/bin:/usr/bin:/bin "$@"
  }
else
  home=$work/home
  mkdir -p "$home" "$work/run"
  as_user() { env HOME="$home" XDG_RUNTIME_DIR="$work/run" "$@"; }
fi

# median_ms RUNS CMD... : run CMD RUNS times (as the user), print the median wall time in ms.
median_ms() {
  local n=$1; shift
  as_user python3 - "$n" "$@" <<'PY'
import subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(n):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"{times[len(times)//2]:.1f}")
PY
}

# cold_ms: time of the first command, which creates the pause process (median of N fresh runroots).
cold_ms() {
  local n=$1 samples=()
  for i in $(seq "$n"); do
    local rr=$work/run/cold$i
    local t0 t1
    t0=$(date +%s%N)
    as_user "$work/rctl" --runroot "$rr" unshare true
    t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000 )))
    pid=$(cut -d' ' -f1 "$rr/pause.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)]/1000}'
}

as_user "$work/rctl" unshare true   # start the pause process
warm=$(median_ms "$runs" "$work/rctl" unshare true)
cold=$(cold_ms "$runs")
pod_warm="-"
if command -v podman >/dev/null 2>&1; then
  as_user podman unshare true >/dev/null 2>&1 || true
  pod_warm=$(median_ms "$runs" podman unshare true 2>/dev/null || echo "-")
fi
ratio() { [ "$2" = "-" ] && echo "-" || awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; }

echo
echo "| figure (median of $runs, $(nproc) cores, $(uname -r)) | rctl ms | podman ms | rctl/podman |"
echo "| --- | --- | --- | --- |"
echo "| unshare true (namespace already held) | $warm | $pod_warm | $(ratio "$warm" "$pod_warm") |"
echo "| unshare true (first command: creates pause, runs newuidmap/newgidmap) | $cold | - | - |"
