#!/usr/bin/env bash
# Build the cached Debian 12 VM image that the systemd tests boot (see
# contrib/vm/run.sh and docs/architecture.md, "systemd VM rig").
#
# Usage (as root): contrib/vm/build-image.sh          build if needed, print the image dir
#                  contrib/vm/build-image.sh --path   print the image dir, build nothing
#
# The image comes from Debian packages only (debootstrap, minbase). It is
# cached under $RCTL_VM_CACHE (default /var/cache/rctl-vm) in a directory
# named after a hash of this script, so a second run is instant and any edit
# here makes a new image (the three newest are kept). The directory holds:
#   kernel      the Debian kernel (an uncompressed vmlinux: faster to boot)
#   initrd.img  a tiny busybox initrd: loads virtio, ext4 and 9p, mounts /dev/vda
#   disk.img    the root filesystem (ext4); boot it with snapshot=on
#   cmdline     the kernel command line to boot with
# Inside: systemd as PID 1, pure cgroup v2, the user `rctl-test` with
# subordinate id ranges and linger, every controller delegated to
# user@.service, and `rctl-vm-job.service`, which runs /mnt/rctl/job as that
# user in a logind session and powers off (the contract with run.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${RCTL_VM_CACHE:-/var/cache/rctl-vm}
mirror=${RCTL_VM_MIRROR:-http://deb.debian.org/debian}
key=$(sha256sum "$here/build-image.sh" | cut -c1-16)
out="$cache/$key"

if [ "${1:-}" = "--path" ]; then
  echo "$out"
  exit 0
fi
if [ -f "$out/ready" ]; then
  echo "$out"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "build-image.sh: the VM image is not built yet; run as root: $0" >&2
  exit 1
fi
for tool in debootstrap mkfs.ext4 cpio; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "build-image.sh: \`$tool\` is missing; run contrib/setup-host.sh as root" >&2
    exit 1
  }
done

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
# Another build may have finished while we waited for the lock.
if [ -f "$out/ready" ]; then
  echo "$out"
  exit 0
fi

log() { echo "build-image.sh: $*" >&2; }
# Left by an interrupted build (we hold the lock). debootstrap mounts proc
# and sys in the tree: unmount them, and never cross into a mount.
unmount_tree() {
  for m in proc sys dev/pts dev; do umount -l "$1/$m" 2>/dev/null || true; done
}
for old in "$cache"/build.*; do
  [ -d "$old" ] || continue
  unmount_tree "$old/root"
  rm -rf --one-file-system "$old"
done
start=$(date +%s)
work=$(mktemp -d "$cache/build.XXXXXX")
root="$work/root"
cleanup() {
  unmount_tree "$root"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

packages=(
  systemd systemd-sysv udev dbus dbus-user-session libpam-systemd passwd login
  kmod procps iproute2 uidmap passt slirp4netns fuse-overlayfs fuse3
  busybox-static linux-image-amd64 strace
)
include=$(IFS=,; echo "${packages[*]}")
log "debootstrap bookworm into $root"
debootstrap --variant=minbase --include="$include" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  log "debootstrap failed (full log above was cut to its end)"
  exit 1
}
log "debootstrap done after $(($(date +%s) - start)) s"

kver=$(basename "$(ls -d "$root"/lib/modules/*)")

# --- guest configuration ----------------------------------------------------
echo rctl-vm > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 rctl-vm\n' > "$root/etc/hosts"
: > "$root/etc/fstab"
# A fixed machine id: every boot of the snapshot is otherwise a "first boot".
echo 5a1f1e3c0d9b4e7f8a6c2b1d0e9f8a7b > "$root/etc/machine-id"

chroot "$root" useradd --create-home --shell /bin/bash rctl-test
for f in subuid subgid; do
  grep -q '^rctl-test:' "$root/etc/$f" 2>/dev/null || echo 'rctl-test:100000:65536' >> "$root/etc/$f"
done
mkdir -p "$root/var/lib/systemd/linger"
touch "$root/var/lib/systemd/linger/rctl-test" # what `loginctl enable-linger` does

# rctl as a systemd user generator (Quadlet-style files), as an admin
# installs it (README): the link points into the share, so it is live
# once the job mounted it (a `systemctl --user daemon-reload` runs it).
mkdir -p "$root/usr/local/lib/systemd/user-generators"
ln -sf /mnt/rctl/bin/rctl "$root/usr/local/lib/systemd/user-generators/rctl-systemd-generator"

mkdir -p "$root/etc/systemd/system/user@.service.d"
cat > "$root/etc/systemd/system/user@.service.d/delegate.conf" <<'EOF'
[Service]
Delegate=cpu cpuset io memory pids
EOF

# The job contract: the host shares a directory tagged `rctl` over virtio-9p
# holding `job` (run as rctl-test) and an `out/` directory for results.
cat > "$root/usr/local/sbin/rctl-vm-job" <<'EOF'
#!/bin/sh
# Run /mnt/rctl/job as rctl-test in a logind session, keep its output and
# status in /mnt/rctl/out, then power off.
share=/mnt/rctl
out=$share/out
finish() {
  sync
  echo "rctl-vm-job: done" > /dev/console
  systemctl poweroff --force --force
}
modprobe 9pnet_virtio
mkdir -p "$share"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576 rctl "$share"; then
  echo "rctl-vm-job: cannot mount the 9p share" > /dev/console
  finish
fi
# Pasta and other helpers need these as on a normal distribution.
modprobe tun; modprobe fuse
# Tells run.sh that the guest booted (its boot time limit ends here).
cut -d' ' -f1 /proc/uptime > "$out/started"
# su -l goes through PAM (pam_systemd): a real logind session with
# XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS.
su -l rctl-test -c "export PATH=$share/bin:\$PATH RCTL_VM_OUT=$out; cd \$HOME && exec $share/job" \
  > "$out/stdout" 2> "$out/stderr" < /dev/null
echo $? > "$out/exit-code.tmp"
mv "$out/exit-code.tmp" "$out/exit-code"
journalctl -b --no-pager -o short-monotonic > "$out/journal" 2>&1
finish
EOF
chmod 755 "$root/usr/local/sbin/rctl-vm-job"

cat > "$root/etc/systemd/system/rctl-vm-job.service" <<'EOF'
[Unit]
Description=rctl VM job (contrib/vm)
After=systemd-user-sessions.service systemd-logind.service dbus.service
Wants=systemd-logind.service

[Service]
Type=simple
ExecStart=/usr/local/sbin/rctl-vm-job
# systemd services ignore SIGPIPE and pass that on; pasta refuses to start so.
IgnoreSIGPIPE=no
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/rctl-vm-job.service \
  "$root/etc/systemd/system/multi-user.target.wants/rctl-vm-job.service"

# A boot that drops to emergency or rescue mode would wait for a root
# password forever: print why on the console and power off instead.
for mode in emergency rescue; do
  mkdir -p "$root/etc/systemd/system/$mode.service.d"
  cat > "$root/etc/systemd/system/$mode.service.d/rctl-vm.conf" <<EOF
[Service]
ExecStartPre=
ExecStart=
ExecStart=/bin/sh -c 'exec >/dev/console 2>&1; echo "rctl-vm: $mode mode; failed units:"; systemctl --failed --no-pager; journalctl -b -p err --no-pager | tail -n 40; systemctl poweroff --force --force'
EOF
done

# Fast boot: nothing the job does not need.
for unit in \
  getty.target getty@tty1.service serial-getty@ttyS0.service console-getty.service \
  apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer dpkg-db-backup.timer \
  systemd-timesyncd.service systemd-networkd-wait-online.service \
  remote-fs.target cryptsetup.target systemd-pstore.service \
  systemd-update-utmp.service systemd-update-utmp-runlevel.service \
  systemd-journal-flush.service systemd-random-seed.service \
  sys-kernel-debug.mount sys-kernel-tracing.mount dev-hugepages.mount dev-mqueue.mount \
  modprobe@drm.service modprobe@efi_pstore.service modprobe@configfs.service \
  modprobe@dm_mod.service modprobe@loop.service \
  sys-kernel-config.mount systemd-hwdb-update.service ldconfig.service \
  systemd-firstboot.service systemd-machine-id-commit.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
mkdir -p "$root/etc/systemd/system.conf.d" "$root/etc/systemd/journald.conf.d"
cat > "$root/etc/systemd/system.conf.d/rctl-vm.conf" <<'EOF'
[Manager]
ShowStatus=error
DefaultTimeoutStopSec=5s
EOF
cat > "$root/etc/systemd/journald.conf.d/rctl-vm.conf" <<'EOF'
[Journal]
Storage=volatile
ForwardToConsole=no
EOF

# Kernel modules: keep what a VM with virtio devices uses. drivers/ata goes
# with drivers/scsi: the PIIX IDE controller of QEMU's pc machine would
# otherwise make udev load libata again and again without scsi_mod.
mods="$root/lib/modules/$kver/kernel"
rm -rf "$mods/sound" "$mods/drivers/ata" "$mods/drivers/gpu" "$mods/drivers/media" "$mods/drivers/infiniband" \
  "$mods/drivers/net/wireless" "$mods/drivers/net/ethernet" "$mods/drivers/staging" \
  "$mods/drivers/bluetooth" "$mods/net/bluetooth" "$mods/drivers/iio" "$mods/drivers/usb" \
  "$mods/drivers/hid" "$mods/drivers/scsi" "$mods/drivers/isdn" "$mods/drivers/mtd" \
  "$mods/net/wireless" "$mods/net/mac80211"
chroot "$root" depmod "$kver"

# --- a tiny initrd: busybox, the modules for /dev/vda, switch_root ----------
initrd="$work/initrd"
mkdir -p "$initrd"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$root/bin/busybox" "$initrd/bin/busybox"
for applet in sh mount umount insmod switch_root mkdir sleep cat echo poweroff; do
  ln -s busybox "$initrd/bin/$applet"
done
: > "$initrd/modules"
for m in virtio_pci virtio_blk ext4 9pnet_virtio 9p; do
  chroot "$root" modprobe --set-version "$kver" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | while read -r ko; do
    name=$(basename "$ko")
    grep -qx "/lib/modules/$name" "$initrd/modules" && continue
    cp "$root$ko" "$initrd/lib/modules/$name"
    echo "/lib/modules/$name" >> "$initrd/modules"
  done
for m in virtio_blk ext4 9pnet_virtio; do
  grep -q "/$m.ko\$" "$initrd/modules" || { log "initrd: module $m not found for $kver"; exit 1; }
done
cat > "$initrd/init" <<'EOF'
#!/bin/sh
# Never wait in a shell: a failure powers off with a message on the console,
# so run.sh reports it at once instead of at its time limit.
fail() {
  echo "initrd: $*" > /dev/console
  poweroff -f
}
mount -t devtmpfs dev /dev
mount -t proc proc /proc
while read -r ko; do
  insmod "$ko" || echo "initrd: insmod $ko failed" > /dev/console
done < /modules
# A loaded host slows the emulated probe down: allow a minute.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -b /dev/vda ] || fail "no /dev/vda after 60 s"
mount -t ext4 -o rw /dev/vda /newroot || fail "cannot mount /dev/vda"
umount /proc
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
EOF
chmod 755 "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc --quiet) > "$work/initrd.img"
# The kernel, uncompressed: QEMU boots an ELF vmlinux through its PVH
# entry, which skips both the firmware's bzImage loading and the xz
# decompression (several seconds under emulation). Falls back to the
# bzImage if the vmlinux cannot be extracted (as scripts/extract-vmlinux).
offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$root/boot/vmlinuz-$kver" | head -n 1 | cut -d: -f1 || true)
if [ -n "$offset" ] && tail -c +"$((offset + 1))" "$root/boot/vmlinuz-$kver" | xz -dc > "$work/kernel" 2>/dev/null; [ "$(head -c 4 "$work/kernel" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
  log "kernel: uncompressed vmlinux ($(du -m "$work/kernel" | cut -f1) MB)"
else
  log "kernel: cannot extract vmlinux; using the bzImage"
  cp "$root/boot/vmlinuz-$kver" "$work/kernel"
fi

# The kernel and initramfs-tools' initrd are not needed inside.
rm -f "$root/boot/initrd.img"* "$root/initrd.img"* "$root/vmlinuz"* "$root/boot/vmlinuz"*
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

# --- the disk image ------------------------------------------------------------
used_mb=$(du -sm "$root" | cut -f1)
size_mb=$((used_mb + 1536))
mkfs.ext4 -q -F -L rctl-vm -E lazy_itable_init=1 -d "$root" "$work/disk.img" "${size_mb}M" >&2

echo "root=/dev/vda rw console=ttyS0 quiet loglevel=3 panic=-1 systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all systemd.show_status=error" > "$work/cmdline"
echo "$kver" > "$work/kernel-version"

# Publish (the `ready` file last), and keep only the three newest images:
# branches with different versions of this script may share a host.
rm -rf "$out"
mkdir -p "$out"
mv "$work/kernel" "$work/initrd.img" "$work/disk.img" "$work/cmdline" "$work/kernel-version" "$out/"
touch "$out/ready"
ls -1t "$cache"/*/ready 2>/dev/null | tail -n +4 | while read -r old; do
  rm -rf "$(dirname "$old")"
done
log "image ready in $out after $(($(date +%s) - start)) s ($(du -sm "$out" | cut -f1) MB on disk)"
echo "$out"
