#!/usr/bin/env bash
# Boot the systemd VM image (contrib/vm/build-image.sh) once under QEMU's
# software emulation, run a job in it, and collect the results.
#
# Usage: contrib/vm/run.sh [--timeout SECS] [--image DIR] SHARE
#
# SHARE is a host directory shared with the guest over virtio-9p (mounted at
# /mnt/rctl). It must hold an executable `job`; `bin/` in it is put first on
# the job's PATH. The guest runs `job` as the lingering user `rctl-test` in a
# logind session (`su -l`, so XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS
# are set), with RCTL_VM_OUT=/mnt/rctl/out, and then powers off. Afterwards
# SHARE/out holds: stdout, stderr, exit-code (written last), journal (the
# guest's journal) and console.log (the serial console), and whatever the
# job wrote into $RCTL_VM_OUT.
#
# The disk is booted with snapshot=on: runs never change the image. A guest
# that has not started the job within $RCTL_VM_BOOT_TIMEOUT (default 120 s)
# or not powered off within the timeout (default 300 s) is killed.
# RCTL_VM_APPEND adds kernel arguments, e.g. "loglevel=7
# systemd.show_status=1" to see the boot on the console.
# Exit status: the job's exit code; 124 when the VM timed out; 125 when the
# VM stopped without a result; 2 for a usage or set-up error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
timeout=${RCTL_VM_TIMEOUT:-300}
boot_timeout=${RCTL_VM_BOOT_TIMEOUT:-120}
image=
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ]; then
  echo "usage: $0 [--timeout SECS] [--image DIR] SHARE" >&2
  exit 2
fi
share=$(cd "$1" && pwd)
[ -n "$image" ] || image=$("$here/build-image.sh" --path)
if [ ! -f "$image/ready" ]; then
  echo "run.sh: no VM image in $image; build it as root: $here/build-image.sh" >&2
  exit 2
fi
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
  echo "run.sh: qemu-system-x86_64 is missing; run contrib/setup-host.sh as root" >&2
  exit 2
fi
if [ ! -x "$share/job" ]; then
  echo "run.sh: $share/job is missing or not executable" >&2
  exit 2
fi

# The guest's user (not root) must read the share and write out/.
rm -rf "$share/out"
mkdir -p "$share/out"
chmod 755 "$share"
chmod 777 "$share/out"

start=$(date +%s%N)
SECONDS=0
# -no-reboot with panic=-1 on the kernel command line: a guest panic ends QEMU.
# -nodefaults: no NIC, VGA, CD-ROM or floppy drive to probe; only the serial
# console (into console.log), the disk and the share.
qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -m 2048 -smp 2 \
  -nodefaults -nographic -serial stdio -no-reboot \
  -kernel "$image/kernel" -initrd "$image/initrd.img" -append "$(cat "$image/cmdline") ${RCTL_VM_APPEND:-}" \
  -drive "file=$image/disk.img,if=virtio,format=raw,snapshot=on,cache=unsafe" \
  -virtfs "local,path=$share,mount_tag=rctl,security_model=none,id=rctl" \
  </dev/null >"$share/out/console.log" 2>&1 &
qemu=$!
trap 'kill -KILL "$qemu" 2>/dev/null || true' EXIT INT TERM
# Two limits: the guest must start the job within the boot limit (a hung
# boot fails fast), and power off within the overall one. The guest
# writes out/started when its job service has mounted the share.
killed=
while kill -0 "$qemu" 2>/dev/null; do
  if [ ! -e "$share/out/started" ] && [ "$SECONDS" -ge "$boot_timeout" ]; then
    killed="did not start the job within ${boot_timeout} s"
  elif [ "$SECONDS" -ge "$timeout" ]; then
    killed="did not power off within ${timeout} s"
  fi
  if [ -n "$killed" ]; then
    kill -KILL "$qemu" 2>/dev/null || true
    break
  fi
  sleep 0.5
done
status=0
wait "$qemu" 2>/dev/null || status=$?
trap - EXIT INT TERM
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
elapsed="$((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000)))"

if [ -n "$killed" ]; then
  echo "run.sh: the VM $killed; killed after ${elapsed} s (console: $share/out/console.log)" >&2
  tail -n 20 "$share/out/console.log" >&2 || true
  exit 124
fi
if [ ! -f "$share/out/exit-code" ]; then
  echo "run.sh: the VM stopped (qemu status $status) without a job result; console: $share/out/console.log" >&2
  tail -n 20 "$share/out/console.log" >&2 || true
  exit 125
fi
code=$(cat "$share/out/exit-code")
echo "run.sh: VM run took ${elapsed} s; job exit code $code" >&2
exit "$code"
