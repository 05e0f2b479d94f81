#!/usr/bin/env bash
# Network benchmarks, not a test: bulk TCP throughput host -> container
# through a published port (SIZE MiB over loopback) and connection rate
# (short HTTP requests per second), rctl with pasta and with slirp4netns
# beside podman (when installed) with the same helper. rctl's pasta and
# slirp4netns rows run without the container runtime: a network namespace
# made with `rctl unshare unshare --net` and `rctl network attach-debug`;
# the user-network row runs a real container whose monitor forwards.
#   contrib/bench-net.sh [SIZE_MIB] [SECONDS]   (default 1024 MiB, 3 s)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
secs=${2:-3}
cargo build --release --locked -q

# Short: podman puts slirp4netns's API socket (<= 107 bytes) under XDG_RUNTIME_DIR.
work=$(mktemp -d /tmp/rbn.XXXXXX)
chmod 755 "$work"
install -m 0755 target/release/rctl "$work/rctl"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/run/servers.pid" ] && while read -r p; do kill "$p" 2>/dev/null || true; done <"$work/run/servers.pid"
  command -v podman >/dev/null 2>&1 && as_user podman rm -a -f -t 0 >/dev/null 2>&1 || true
  for f in "$work/run/rctl/pause.pid" "$work/run/libpod/tmp/pause.pid"; do
    [ -f "$f" ] && kill -KILL "$(cut -d' ' -f1 "$f")" 2>/dev/null || true
  done
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

if [ "$(id -u)" -eq 0 ]; then
  user=rctl-test
  install -d -o "$user" -g "$user" -m 0700 "$work/home" "$work/run"
  as_user() {
    setpriv --reuid="$user" --regid="$user" --init-groups -- \
      env -i HOME="$work/home" USER="$user" XDG_RUNTIME_DIR="$work/run" \
      PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
  }
else
  mkdir -p "$work/home" "$work/run"
  as_user() { env HOME="$work/home" XDG_RUNTIME_DIR="$work/run" "$@"; }
fi

# A tiny root: busybox, a sink that discards a connection's bytes, a page.
root=$work/root
mkdir -p "$root/bin" "$root/www"
cp /bin/busybox "$root/bin/busybox"
for a in sh cat httpd nc sleep ip; do ln -s busybox "$root/bin/$a"; done
printf '#!/bin/sh\nexec /bin/busybox cat >/dev/null\n' >"$root/sink.sh"
chmod 755 "$root/sink.sh"
echo ok >"$root/www/index.html"
chmod -R a+rX "$root"
# httpd stays in the foreground so that its pid is known and killed at the end.
server="/bin/busybox httpd -f -p 80 -h $root/www & echo \$! >> $work/run/servers.pid; exec /bin/busybox nc -ll -p 5001 -e $root/sink.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# measure TPORT HPORT: "MiB/s req/s" against 127.0.0.1.
measure() {
  python3 - "$1" "$2" "$size" "$secs" <<'PY'
import socket, sys, time
tport, hport, size, secs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
def wait_up(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close(); return
        except OSError: time.sleep(0.05)
wait_up(hport)
buf = b"\0" * (1 << 20)
s = socket.create_connection(("127.0.0.1", tport))
t = time.perf_counter()
for _ in range(size): s.sendall(buf)
s.shutdown(socket.SHUT_WR)
s.settimeout(30)
try: s.recv(1)
except OSError: pass
mibs = size / (time.perf_counter() - t)
n, end = 0, time.perf_counter() + secs
while time.perf_counter() < end:
    c = socket.create_connection(("127.0.0.1", hport), timeout=5)
    c.sendall(b"GET /index.html HTTP/1.0\r\n\r\n")
    while c.recv(4096): pass
    c.close(); n += 1
print(f"{mibs:.0f} {n / secs:.0f}")
PY
}

rctl_row() {
  local mode=$1 tport hport pidfile=$work/run/ns.pid out handle
  tport=$(free_port); hport=$(free_port)
  rm -f "$pidfile"
  as_user "$work/rctl" unshare unshare --net --fork /bin/sh -c \
    "echo \$\$ > $pidfile; /bin/busybox ip link set lo up; $server" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.05; done
  pids+=("$(cat "$pidfile")")
  out=$(as_user "$work/rctl" network attach-debug --pid "$(cat "$pidfile")" --network "$mode" \
    -p "127.0.0.1:$tport:5001" -p "127.0.0.1:$hport:80")
  handle=$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["handle"]))' <<<"$out")
  read -r mibs rps < <(measure "$tport" "$hport")
  as_user "$work/rctl" network detach-debug "$handle"
  kill "$(cat "$pidfile")" 2>/dev/null || true
  echo "| rctl | $mode | $mibs | $rps |"
}

# A container on a user-defined network: ports forwarded by rctl's monitor.
rctl_user_row() {
  local tport hport
  tport=$(free_port); hport=$(free_port)
  as_user "$work/rctl" import "$work/root.tar" localhost/rctl-bench-net >/dev/null
  as_user "$work/rctl" network create benchnet >/dev/null
  as_user "$work/rctl" run -d --name benchuser --network benchnet \
    -p "127.0.0.1:$tport:5001" -p "127.0.0.1:$hport:80" localhost/rctl-bench-net \
    /bin/sh -c "/bin/busybox httpd -p 80 -h /www; exec /bin/busybox nc -ll -p 5001 -e /sink.sh" >/dev/null
  read -r mibs rps < <(measure "$tport" "$hport")
  as_user "$work/rctl" rm -f benchuser >/dev/null
  as_user "$work/rctl" network rm benchnet >/dev/null
  echo "| rctl | user network (monitor forwarder) | $mibs | $rps |"
}

podman_row() {
  local net=$1 label=$2 tport hport name
  tport=$(free_port); hport=$(free_port); name=bench-$RANDOM
  if ! as_user podman run -d --name "$name" --network "$net" \
    -p "127.0.0.1:$tport:5001" -p "127.0.0.1:$hport:80" localhost/rctl-bench-net \
    /bin/sh -c "/bin/busybox httpd -p 80 -h /www; exec /bin/busybox nc -ll -p 5001 -e /sink.sh" >"$work/podman.err" 2>&1; then
    echo "podman --network $net: $(tail -1 "$work/podman.err")" >&2
    as_user podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    echo "| podman | $label | - | - |"; return
  fi
  read -r mibs rps < <(measure "$tport" "$hport")
  as_user podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  echo "| podman | $label | $mibs | $rps |"
}

echo
echo "| engine | network | MiB/s host->container ($size MiB) | requests/s (${secs} s) |"
echo "| --- | --- | --- | --- |"
tar -C "$root" -cf "$work/root.tar" .
chmod 644 "$work/root.tar"
rctl_row pasta
rctl_row slirp4netns
rctl_user_row
if command -v podman >/dev/null 2>&1; then
  mkdir -p "$work/home/.config/containers"
  printf '[engine]\nruntime = "runc"\n' >"$work/home/.config/containers/containers.conf"
  printf '[storage]\ndriver = "overlay"\n' >"$work/home/.config/containers/storage.conf"
  [ "$(id -u)" -eq 0 ] && chown -R rctl-test: "$work/home/.config"
  if as_user podman import "$work/root.tar" localhost/rctl-bench-net >/dev/null 2>&1; then
    # The image has the root at /, so its paths differ from rctl's $root.
    podman_row pasta pasta
    podman_row slirp4netns:port_handler=slirp4netns slirp4netns
    podman_row slirp4netns "slirp4netns + rootlessport"
  else
    echo "| podman | (import failed) | - | - |"
  fi
fi
