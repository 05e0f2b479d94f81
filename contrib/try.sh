#!/usr/bin/env bash
# Set up the host, build rctl, and run it rootless: the README's first command.
# As root, rctl runs as the unprivileged user `rctl-test`; otherwise as you.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  contrib/setup-host.sh
else
  sudo contrib/setup-host.sh
fi
cargo build --release --locked

if [ "$(id -u)" -eq 0 ]; then
  user=rctl-test
  uid=$(id -u "$user")
  bin=$(mktemp -d /tmp/rctl-try.XXXXXX)
  chmod 755 "$bin"
  install -m 0755 target/release/rctl "$bin/rctl"
  as_user() {
    setpriv --reuid="$user" --regid="$user" --init-groups -- \
      env -i HOME="/home/$user" USER="$user" XDG_RUNTIME_DIR="/run/user/$uid" \
      PATH=/usr/local/bin:/usr/bin:/bin "$@"
  }
else
  bin=target/release
  as_user() { "$@"; }
fi

set -x
as_user "$bin/rctl" info
as_user "$bin/rctl" unshare sh -c 'echo "inside rctl: uid $(id -u)"; cat /proc/self/uid_map'

# A real container from an image built offline (busybox-static), imported
# into the user's store and run by name.
set +x
rootfs="$bin/rootfs"
[ "$bin" = target/release ] && rootfs="$PWD/target/try-rootfs"
rm -rf "$rootfs" "$rootfs.tar"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for a in $("$rootfs/bin/busybox" --list); do
  [ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"
tar -C "$rootfs" -cf "$rootfs.tar" .
[ "$(id -u)" -eq 0 ] && chown -R "$user:" "$rootfs" "$rootfs.tar"
set -x
as_user "$bin/rctl" import --change 'CMD ["/bin/sh"]' "$rootfs.tar" localhost/busybox
as_user "$bin/rctl" images
as_user "$bin/rctl" run --rm busybox sh -c 'echo "hello from container $(hostname): uid $(id -u), pid $$"; grep -E "^(CapEff|Seccomp):" /proc/self/status'
