#!/usr/bin/env bash
# `rctl build` benchmark: a cold build (--no-cache) of a 6-step
# Containerfile with 3 RUN steps on a busybox base, and the fully cached
# rebuild, beside `podman build` when installed. Runs as an unprivileged
# user; prints a markdown table of medians. Not a test.
#   contrib/bench-build.sh [RUNS]     (default 5 runs per figure)
#   RCTL_BIN=target/debug/rctl contrib/bench-build.sh   (skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [ -z "${RCTL_BIN:-}" ]; then
  cargo build --release --locked -q
  RCTL_BIN=target/release/rctl
fi

work=$(mktemp -d /tmp/rctl-bench-build.XXXXXX)
chmod 755 "$work"
install -m 0755 "$RCTL_BIN" "$work/rctl"
cleanup() {
  local pid
  pid=$(cut -d' ' -f1 "$work/run/rctl/pause.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

if [ "$(id -u)" -eq 0 ]; then
  user=rctl-test
  home=$work/home
  install -d -o "$user" -g "$user" -m 0700 "$home" "$work/run" "$work/ctx"
  as_user() {
    setpriv --reuid="$user" --regid="$user" --init-groups -- \
      env -i HOME="$home" USER="$user" XDG_RUNTIME_DIR="$work/run" \
      PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
  }
else
  home=$work/home
  mkdir -p "$home" "$work/run" "$work/ctx"
  as_user() { env HOME="$home" XDG_RUNTIME_DIR="$work/run" "$@"; }
fi

# A busybox root filesystem as a tarball, imported by both tools.
rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for a in $("$rootfs/bin/busybox" --list); do
  [ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"
tar -C "$rootfs" -cf "$work/rootfs.tar" .
chmod 644 "$work/rootfs.tar"

cat > "$work/ctx/Containerfile" <<'EOF'
FROM localhost/bench-busybox
RUN echo one > /one
COPY data.txt /data.txt
RUN cat /data.txt /one > /two
ENV MODE=bench
RUN echo "$MODE" > /three
EOF
echo data > "$work/ctx/data.txt"
[ "$(id -u)" -eq 0 ] && chown -R "$user:$user" "$work/ctx"

# median_ms RUNS CMD... : the median wall time of CMD (as the user) in ms.
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
print(f"{times[len(times)//2]:.0f}")
PY
}

as_user "$work/rctl" import "$work/rootfs.tar" localhost/bench-busybox >/dev/null
as_user "$work/rctl" build -q -t bench "$work/ctx" >/dev/null   # warm the pause process and the base
rctl_cold=$(median_ms "$runs" "$work/rctl" build -q --no-cache -t bench "$work/ctx")
rctl_cached=$(median_ms "$runs" "$work/rctl" build -q -t bench "$work/ctx")

podman_cold=- podman_cached=-
if command -v podman >/dev/null; then
  # Podman as seen working here: runc (crun refuses hybrid cgroups), overlay.
  as_user mkdir -p "$home/.config/containers"
  as_user sh -c "printf '[engine]\nruntime = \"runc\"\n' > '$home/.config/containers/containers.conf'"
  as_user sh -c "printf '[storage]\ndriver = \"overlay\"\n' > '$home/.config/containers/storage.conf'"
  as_user podman import "$work/rootfs.tar" localhost/bench-busybox >/dev/null
  as_user podman build -q -t bench "$work/ctx" >/dev/null
  podman_cold=$(median_ms "$runs" podman build -q --no-cache -t bench "$work/ctx")
  podman_cached=$(median_ms "$runs" podman build -q -t bench "$work/ctx")
  as_user podman system reset -f >/dev/null 2>&1 || true
fi

echo "| build (6 steps, 3 RUN, busybox; median of $runs) | rctl ms | podman ms |"
echo "| --- | --- | --- |"
echo "| cold (--no-cache) | $rctl_cold | $podman_cold |"
echo "| fully cached rebuild | $rctl_cached | $podman_cached |"
awk -v c="$rctl_cold" -v k="$rctl_cached" -v p="$podman_cold" 'BEGIN {
  printf "\ncached/cold (rctl): %.3f (target <= 0.1)\n", k / c
  if (p != "-") printf "cold rctl/podman: %.2f (target <= 0.7)\n", c / p
}'
