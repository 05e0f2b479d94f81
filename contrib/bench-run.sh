#!/usr/bin/env bash
# Container lifecycle benchmark: rctl beside podman (when installed), both as
# the same unprivileged user, on a busybox root filesystem (`--rootfs`).
# Not a timed test: prints a table of medians and ratios.
#
#   contrib/bench-run.sh            (as root: runs as rctl-test via setpriv)
#   RUNS=20 contrib/bench-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-15}
USER_NAME=${BENCH_USER:-rctl-test}
cargo build --release --quiet
work=$(mktemp -d /tmp/rctl-bench.XXXXXX)
chmod 755 "$work"
trap 'cleanup' EXIT

as_user() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
      env -i HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/home/.config" \
      XDG_DATA_HOME="$work/home/.local/share" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
  else
    env HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/home/.config" \
      XDG_DATA_HOME="$work/home/.local/share" "$@"
  fi
}

# The rootfs and the binary, readable by the user.
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/home/.config/containers" "$work/run" "$work/bin"
cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
for a in $("$work/rootfs/bin/busybox" --list); do
  [ "$a" = busybox ] || ln -sf busybox "$work/rootfs/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$work/rootfs/etc/passwd"
echo 'root:x:0:' > "$work/rootfs/etc/group"
cp target/release/rctl "$work/bin/rctl"
printf '[engine]\nruntime = "runc"\n' > "$work/home/.config/containers/containers.conf"
if [ "$(id -u)" -eq 0 ]; then chown -R "$USER_NAME:" "$work"; fi
chmod 700 "$work/run"
R="$work/bin/rctl"
ROOTFS="$work/rootfs"

have_podman=0
if command -v podman >/dev/null 2>&1 && as_user podman run --rm --network none --rootfs "$ROOTFS" true >/dev/null 2>&1; then
  have_podman=1
fi

cleanup() {
  as_user "$R" rm -fa >/dev/null 2>&1 || true
  if [ "$have_podman" = 1 ]; then as_user podman rm -fa >/dev/null 2>&1 || true; fi
  # Stop the two pause processes this run started (by their recorded pids).
  for f in "$work/run/rctl/pause.pid" "$work/run/libpod/tmp/pause.pid"; do
    [ -f "$f" ] && kill -KILL "$(cut -d' ' -f1 "$f")" >/dev/null 2>&1 || true
  done
  rm -rf "$work" 2>/dev/null || as_user "$R" unshare rm -rf "$work" 2>/dev/null || true
}

now_ms() { date +%s%N | awk '{printf "%.3f", $1/1000000}'; }

# median_ms CMD...: median wall time of RUNS runs, in ms.
median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local a b
    a=$(date +%s%N)
    "$@" >/dev/null 2>&1
    b=$(date +%s%N)
    times+=("$(( (b - a) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)]/1000}'
}

total_ms() {
  local a b
  a=$(date +%s%N)
  "$@"
  b=$(date +%s%N)
  echo "$(( (b - a) / 1000000 ))"
}

create_start() { # TOOL N
  local tool=$1 n=$2
  for i in $(seq "$n"); do
    as_user $tool create --network none --name "cs$i" --rootfs "$ROOTFS" true >/dev/null 2>&1
    as_user $tool start "cs$i" >/dev/null 2>&1
  done
}

make_containers() { # TOOL N
  for i in $(seq "$2"); do as_user $1 create --network none --rootfs "$ROOTFS" true >/dev/null 2>&1; done
}

monitor_rss_kb() { # COMM: average VmRSS of this bench's processes with that name
  local total=0 n=0
  for f in /proc/[0-9]*/comm; do
    # Only this run's monitors (their command lines name $work): a test
    # suite running beside the bench has monitors of its own, built
    # without optimisation (~9 MiB each), which once made the average 5.3 MiB.
    if [ "$(cat "$f" 2>/dev/null)" = "$1" ] \
      && tr '\0' ' ' < "$(dirname "$f")/cmdline" 2>/dev/null | grep -qF "$work/"; then
      local kb
      kb=$(awk '/^VmRSS/ {print $2}' "$(dirname "$f")/status" 2>/dev/null || echo 0)
      total=$((total + kb)); n=$((n + 1))
    fi
  done
  [ "$n" -gt 0 ] && echo $((total / n)) || echo 0
}

bench() { # TOOL MONITOR-NAME -> "run exec cs50 ps100 rss"
  local tool=$1 mon=$2
  as_user $tool run --rm --network none --rootfs "$ROOTFS" true >/dev/null 2>&1 || true
  local run exec cs ps rss
  run=$(median_ms as_user $tool run --rm --network none --rootfs "$ROOTFS" true)
  as_user $tool run -d --network none --name bench-exec --rootfs "$ROOTFS" sleep 1000 >/dev/null
  exec=$(median_ms as_user $tool exec bench-exec true)
  sleep 11  # let the monitor settle (rctl trims its code pages every 10 s)
  rss=$(monitor_rss_kb "$mon")
  as_user $tool rm -f bench-exec >/dev/null 2>&1
  cs=$(total_ms create_start "$tool" 50)
  as_user $tool rm -fa >/dev/null 2>&1
  make_containers "$tool" 100
  ps=$(median_ms as_user $tool ps -a)
  as_user $tool rm -fa >/dev/null 2>&1
  echo "$run $exec $cs $ps $rss"
}

echo "bench-run: $RUNS runs per median; rootfs busybox; user $USER_NAME" >&2
read -r r_run r_exec r_cs r_ps r_rss < <(bench "$R" rctl-monitor)
if [ "$have_podman" = 1 ]; then
  read -r p_run p_exec p_cs p_ps p_rss < <(bench podman conmon)
else
  echo "bench-run: podman not installed or not working rootless here; rctl only" >&2
  p_run=- p_exec=- p_cs=- p_ps=- p_rss=-
fi

ratio() { if [ "$2" = - ] || [ "$2" = 0 ]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; fi; }
printf '%-38s %12s %12s %8s\n' "measure" "rctl" "podman" "ratio"
printf '%-38s %12s %12s %8s\n' "run --rm --network none true (ms)" "$r_run" "$p_run" "$(ratio "$r_run" "$p_run")"
printf '%-38s %12s %12s %8s\n' "exec CONTAINER true (ms)" "$r_exec" "$p_exec" "$(ratio "$r_exec" "$p_exec")"
printf '%-38s %12s %12s %8s\n' "create+start x50, total (ms)" "$r_cs" "$p_cs" "$(ratio "$r_cs" "$p_cs")"
printf '%-38s %12s %12s %8s\n' "ps -a with 100 containers (ms)" "$r_ps" "$p_ps" "$(ratio "$r_ps" "$p_ps")"
printf '%-38s %12s %12s %8s\n' "monitor RSS per container (KiB)" "$r_rss" "$p_rss" "$(ratio "$r_rss" "$p_rss")"
