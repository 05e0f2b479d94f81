#!/usr/bin/env bash
# One benchmark report: runs the benchmark scripts of contrib/ (bench.sh,
# bench-run.sh, bench-images.sh, bench-net.sh, and bench-build.sh when
# present), measures the disk used by 10 containers of one image, and prints
# ONE markdown table, rctl beside podman (when installed) with ratios
# rctl/podman (below 1: rctl is faster or smaller). Not a test.
#
# Run as root (the scripts start a registry and switch to rctl-test):
#   contrib/bench-report.sh                  # table on stdout
#   contrib/bench-report.sh --write          # also writes docs/performance.md
# Sizes and repetitions (smaller than the single scripts' defaults, so the
# whole report takes minutes): RUNS=10 BENCH_MB=100 NET_MIB=256 NET_SECS=3
set -euo pipefail
cd "$(dirname "$0")/.."
write=false
[ "${1:-}" = --write ] && write=true
[ "$(id -u)" -eq 0 ] || { echo "bench-report.sh: run as root" >&2; exit 1; }
runs=${RUNS:-10}
export RUNS=$runs BENCH_MB=${BENCH_MB:-100}
cargo build --release --locked -q
out=$(mktemp -d /tmp/rctl-report.XXXXXX)
chmod 755 "$out"
trap 'rm -rf "$out"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { # A B -> A/B or -
  if [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]] && awk -v b="$2" 'BEGIN{exit !(b>0)}'; then
    awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'
  else echo -; fi
}
rows=()
row() { rows+=("| $1 | ${2:--} | ${3:--} | $(ratio "${2:--}" "${3:--}") |"); }

echo "bench-report: start-up (bench.sh)..." >&2
contrib/bench.sh "$runs" > "$out/bench.txt" 2> "$out/bench.err" || echo "bench.sh failed: $(tail -3 "$out/bench.err")" >&2
while IFS='|' read -r _ fig r p _; do
  fig=$(echo "$fig" | sed 's/ *$//; s/^ *//; s/ (median of.*//'); r=$(echo $r); p=$(echo $p)
  [[ "$r" =~ ^[0-9.]+$ ]] && row "$fig (ms)" "$r" "$p"
done < <(grep '^| unshare' "$out/bench.txt" || true)

echo "bench-report: container lifecycle (bench-run.sh)..." >&2
contrib/bench-run.sh > "$out/run.txt" 2> "$out/run.err" || echo "bench-run.sh failed: $(tail -3 "$out/run.err")" >&2
while read -r line; do
  set -- $line
  n=$#; [ "$n" -ge 4 ] || continue
  r=${*: -3:1}; p=${*: -2:1}
  fig=$(echo "$line" | awk '{NF-=3; print}')
  [[ "$r" =~ ^[0-9.]+$ ]] && row "$fig" "$r" "$p"
done < <(grep -v '^measure' "$out/run.txt" || true)

echo "bench-report: pulls (bench-images.sh, ${BENCH_MB} MB)..." >&2
contrib/bench-images.sh > "$out/images.txt" 2> "$out/images.err" || echo "bench-images.sh failed: $(tail -3 "$out/images.err")" >&2
for img in $(awk 'NR>1 {print $1}' "$out/images.txt" | sort -u); do
  r=$(awk -v i="$img" '$1==i && $2=="rctl" {print $3}' "$out/images.txt")
  p=$(awk -v i="$img" '$1==i && $2=="podman" {print $3}' "$out/images.txt")
  case $img in single) label="single-layer" ;; ten) label="10-layer" ;; *) label=$img ;; esac
  row "pull a $label image of ${BENCH_MB} MB into a cold store (s)" "${r:--}" "${p:--}"
done

echo "bench-report: network (bench-net.sh)..." >&2
contrib/bench-net.sh "${NET_MIB:-256}" "${NET_SECS:-3}" > "$out/net.txt" 2> "$out/net.err" || echo "bench-net.sh failed: $(tail -3 "$out/net.err")" >&2
net_cell() { # ENGINE MODE COLUMN: the cell of the bench-net.sh row whose network is exactly MODE
  awk -F'|' -v e="$1" -v m="$2" -v c="$3" '{
    n=$3; gsub(/^ +| +$/, "", n); g=$2; gsub(/ /, "", g)
    if (g == e && n == m) { v=$c; gsub(/ /, "", v); print v; exit }
  }' "$out/net.txt"
}
# Podman's row named `slirp4netns` uses slirp4netns's own port handler, as rctl does.
for mode in pasta slirp4netns; do
  row "port throughput host->container, $mode (MiB/s)" "$(net_cell rctl $mode 4)" "$(net_cell podman $mode 4)"
  row "HTTP requests through a published port, $mode (req/s)" "$(net_cell rctl $mode 5)" "$(net_cell podman $mode 5)"
done

if [ -x contrib/bench-build.sh ]; then
  echo "bench-report: build (bench-build.sh)..." >&2
  contrib/bench-build.sh > "$out/build.txt" 2> "$out/build.err" || echo "bench-build.sh failed: $(tail -3 "$out/build.err")" >&2
  # Its rows are `| cold (--no-cache) | RCTL | PODMAN |` and
  # `| fully cached rebuild | RCTL | PODMAN |` under a `| build (...) |` title.
  title=$(grep -m1 -E '^\| *build' "$out/build.txt" | cut -d'|' -f2 | sed 's/^ *build *//; s/ *$//' || true)
  while IFS='|' read -r _ fig r p _; do
    fig=$(echo "$fig" | sed 's/ *$//; s/^ *//'); r=$(echo $r); p=$(echo $p)
    [[ "$r" =~ ^[0-9.]+$ ]] && row "build $title, $fig (ms)" "$r" "$p"
  done < <(grep -E '^\| *(cold|fully cached)' "$out/build.txt" || true)
else
  rows+=("| build cold / cached | - | - | - (contrib/bench-build.sh not on this branch) |")
fi

echo "bench-report: disk for 10 containers of one image..." >&2
disk() { # prints "rctl_kib podman_kib"
  local w=$out/disk user=rctl-test r=- p=-
  install -d -o "$user" -g "$user" -m 0700 "$w" "$w/home" "$w/run"
  install -d -m 0755 "$w/rootfs/bin" "$w/rootfs/etc"
  cp /bin/busybox "$w/rootfs/bin/busybox"; ln -sf busybox "$w/rootfs/bin/true"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$w/rootfs/etc/passwd"
  tar -C "$w/rootfs" -cf "$w/rootfs.tar" . && chmod 644 "$w/rootfs.tar"
  install -m 0755 target/release/rctl "$w/rctl"
  as() { setpriv --reuid=$user --regid=$user --init-groups -- env -i HOME="$w/home" USER=$user \
    XDG_RUNTIME_DIR="$w/run" PATH=/usr/local/bin:/usr/bin:/bin "$@"; }
  as "$w/rctl" import "$w/rootfs.tar" localhost/disk >/dev/null
  local before after
  before=$(du -sk "$w/home/.local/share/rctl" | cut -f1)
  for i in $(seq 10); do as "$w/rctl" create --network none localhost/disk true >/dev/null; done
  after=$(du -sk "$w/home/.local/share/rctl" | cut -f1)
  r=$((after - before))
  as "$w/rctl" rm -fa >/dev/null 2>&1 || true
  pkill -KILL -f "^$w/rctl" 2>/dev/null || true
  if command -v podman >/dev/null; then
    install -d -o $user -g $user "$w/home/.config/containers"
    printf '[engine]\nruntime = "runc"\n' > "$w/home/.config/containers/containers.conf"
    printf '[storage]\ndriver = "overlay"\n' > "$w/home/.config/containers/storage.conf"
    chown -R $user: "$w/home/.config"
    if as podman import "$w/rootfs.tar" localhost/disk >/dev/null 2>&1; then
      before=$(du -sk "$w/home/.local/share/containers" | cut -f1)
      for i in $(seq 10); do as podman create --network none localhost/disk true >/dev/null; done
      after=$(du -sk "$w/home/.local/share/containers" | cut -f1)
      p=$((after - before))
      as podman rm -fa >/dev/null 2>&1 || true
    fi
    as podman system reset -f >/dev/null 2>&1 || true
  fi
  rm -rf "$w" 2>/dev/null || true
  echo "$r $p"
}
read -r dr dp < <(disk)
row "disk for 10 created containers of one image (KiB)" "$dr" "$dp"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
header="Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), kernel $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME"); podman: $(podman --version 2>/dev/null || echo 'not installed'). Load average before/after: $load_before / $load_after. Medians of $runs runs unless stated."
table=$(
  echo "| figure | rctl | podman | rctl/podman |"
  echo "| --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
)
echo "$header"
echo
echo "$table"
if $write; then
  {
    echo "# Performance"
    echo
    echo "The latest run of \`contrib/bench-report.sh --write\` (as root; it runs"
    echo "\`contrib/bench.sh\`, \`bench-run.sh\`, \`bench-images.sh\`, \`bench-net.sh\` and"
    echo "\`bench-build.sh\` when present). Lower is better for times, RSS and disk;"
    echo "higher for throughput. A ratio below 1 means rctl took less (time, memory,"
    echo "disk) or, for throughput, moved less."
    echo
    echo "$header"
    echo
    echo "$table"
  } > docs/performance.md
  echo "bench-report: wrote docs/performance.md" >&2
fi
