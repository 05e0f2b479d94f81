#!/usr/bin/env bash
# Benchmark (not a test): pull a ~250 MB single-layer image and a 10-layer
# image of the same files from a local registry into a cold store, with rctl
# and, when installed, with `podman pull`, both as the unprivileged user
# rctl-test. Prints wall time, CPU time (user+sys), peak RSS and the ratio
# rctl/podman of the medians of RUNS runs.
#
# Run as root (it starts the registry and switches user):
#   contrib/bench-images.sh            # BENCH_MB=250 RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-images.sh: run as root (it starts a registry and runs the pulls as rctl-test)" >&2
  exit 1
fi
user=rctl-test
uid=$(id -u "$user")
mb=${BENCH_MB:-250}
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/rctl-bench}

cargo build --release --quiet
rm -rf "$work"
mkdir -p "$work/bin" "$work/src"
chmod 755 "$work" "$work/bin"
install -m 0755 target/release/rctl "$work/bin/rctl"

# --- Content: regular files from /usr, sorted, up to $mb MB. -----------------
(cd / && find usr/lib usr/share usr/bin -xdev -type f -size -1000k -printf '%s\t%p\n' 2>/dev/null) |
  sort -t "$(printf '\t')" -k2 |
  awk -F '\t' -v limit=$((mb * 1000000)) '{ t += $1; if (t <= limit) print $2 }' > "$work/src/files"
split -n l/10 -d "$work/src/files" "$work/src/part."

# --- OCI layouts, gzip layers. ------------------------------------------------
layout_init() {
  rm -rf "$1"; mkdir -p "$1/blobs/sha256"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$1/oci-layout"
}
put_blob() { # LAYOUT FILE -> prints digest hex
  local hex; hex=$(sha256sum "$2" | cut -d' ' -f1)
  mv "$2" "$1/blobs/sha256/$hex"; echo "$hex"
}
make_image() { # LAYOUT LIST...
  local layout=$1; shift
  layout_init "$layout"
  local layers="" diffs="" list
  for list in "$@"; do
    tar --numeric-owner -C / -cf "$layout/layer.tar" --verbatim-files-from -T "$list"
    local diff; diff=$(sha256sum "$layout/layer.tar" | cut -d' ' -f1)
    gzip -1 -c "$layout/layer.tar" > "$layout/layer.tgz"; rm "$layout/layer.tar"
    local size; size=$(stat -c %s "$layout/layer.tgz")
    local hex; hex=$(put_blob "$layout" "$layout/layer.tgz")
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    diffs+="${diffs:+,}\"sha256:$diff\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffs" > "$layout/config.json"
  local csize; csize=$(stat -c %s "$layout/config.json")
  local chex; chex=$(put_blob "$layout" "$layout/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$chex" "$csize" "$layers" > "$layout/manifest.json"
  local msize; msize=$(stat -c %s "$layout/manifest.json")
  local mhex; mhex=$(put_blob "$layout" "$layout/manifest.json")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' "$mhex" "$msize" > "$layout/index.json"
}
echo "building images from $(wc -l < "$work/src/files") files (~$mb MB)..." >&2
make_image "$work/single" "$work/src/files"
make_image "$work/ten" "$work"/src/part.*

# --- Registry. ------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5055)
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry/storage
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  sleep 0.1
done
for img in single ten; do
  skopeo copy --quiet --dest-tls-verify=false "oci:$work/$img:v1" "docker://127.0.0.1:$port/bench/$img:v1"
done

# --- Runs. ----------------------------------------------------------------------
as_user() { # HOME CMD...
  local home=$1; shift
  setpriv --reuid="$uid" --regid="$uid" --init-groups env -i HOME="$home" \
    XDG_RUNTIME_DIR="$home/run" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
}
fresh_home() {
  rm -rf "$1"; mkdir -p "$1/run" "$1/.config/containers"
  printf '[storage]\ndriver = "overlay"\n' > "$1/.config/containers/storage.conf"
  chown -R "$uid:$uid" "$1"; chmod 700 "$1" "$1/run"
}
stop_pauses() { # HOME
  for f in "$1/run/rctl/pause.pid" "$1/run/libpod/tmp/pause.pid"; do
    [ -f "$f" ] && kill -9 "$(cut -d' ' -f1 "$f")" 2>/dev/null || true
  done
}
measure() { # TOOL IMAGE -> appends "wall cpu rss" to results
  local tool=$1 img=$2 home="$work/home-$1"
  fresh_home "$home"
  local ref="127.0.0.1:$port/bench/$img:v1" out="$work/time.$tool.$img"
  case $tool in
    rctl) as_user "$home" /usr/bin/time -f '%e %U %S %M' -o "$home/time" "$work/bin/rctl" pull -q --tls-verify=false "$ref" > /dev/null ;;
    podman) as_user "$home" /usr/bin/time -f '%e %U %S %M' -o "$home/time" podman pull -q --tls-verify=false "$ref" > /dev/null ;;
  esac
  awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$home/time" >> "$out"
  stop_pauses "$home"
  rm -rf "$home"
}
tools=(rctl)
command -v podman > /dev/null && tools+=(podman)
for img in single ten; do
  for tool in "${tools[@]}"; do
    for _ in $(seq "$runs"); do measure "$tool" "$img"; done
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
printf '%-8s %-7s %10s %10s %12s %14s\n' image tool wall_s cpu_s peak_rss_MB wall_vs_podman
for img in single ten; do
  pw=""
  [ -f "$work/time.podman.$img" ] && pw=$(cut -d' ' -f1 "$work/time.podman.$img" | median)
  for tool in "${tools[@]}"; do
    f="$work/time.$tool.$img"
    w=$(cut -d' ' -f1 "$f" | median); c=$(cut -d' ' -f2 "$f" | median); r=$(cut -d' ' -f3 "$f" | median)
    ratio="-"
    [ -n "$pw" ] && ratio=$(awk -v a="$w" -v b="$pw" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %-7s %10s %10s %12d %14s\n' "$img" "$tool" "$w" "$c" $((r / 1024)) "$ratio"
  done
done
echo "(median of $runs runs; $(du -sh "$work/single/blobs" | cut -f1) of blobs; $(nproc) CPUs)" >&2
