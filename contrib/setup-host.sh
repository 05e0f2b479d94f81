#!/usr/bin/env bash
# Prepare a Debian 12 host for rctl and its test suite. Run as root; safe to
# run again. Installs the helper programs rctl uses, opens /dev/net/tun and
# /dev/fuse to users (as on normal distributions), and creates the
# unprivileged test user `rctl-test` with subordinate id ranges.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host.sh: run as root (e.g. sudo $0)" >&2
  exit 1
fi

packages=(
  uidmap passt slirp4netns fuse-overlayfs fuse3 busybox-static docker-registry
  skopeo umoci runc apache2-utils util-linux procps iproute2 ca-certificates
  build-essential pkg-config curl attr openssl buildah python3 python3-venv
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The systemd VM rig (contrib/vm/) boots a Debian VM under QEMU's software
# emulation. qemu-system-x86 comes from bookworm-backports: some hosts of
# this kind ship qemu-utils from there, which conflicts with bookworm's
# qemu-system-common; taking the whole QEMU from backports works everywhere.
backports=/etc/apt/sources.list.d/rctl-bookworm-backports.sources
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > "$backports" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
vm_packages=(debootstrap e2fsprogs cpio xz-utils)
vm_missing=()
for p in "${vm_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || vm_missing+=("$p")
done
if [ "${#vm_missing[@]}" -gt 0 ] || ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  if [ "${#vm_missing[@]}" -gt 0 ]; then
    apt-get install -y -q --no-install-recommends "${vm_missing[@]}"
  fi
  if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86
  fi
fi

# tests/kube.rs checks `kube generate` output against the Kubernetes
# OpenAPI schemas with kubernetes-validate (PyPI; it ships the schemas), in
# its own virtual environment so the system Python stays untouched.
kube_validate=/opt/rctl-kube-validate
kube_validate_version=1.37.0
if ! "$kube_validate/bin/kubernetes-validate" --version 2>/dev/null | grep -q "$kube_validate_version"; then
  rm -rf "$kube_validate"
  /usr/bin/python3 -m venv "$kube_validate"
  "$kube_validate/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$kube_validate_version"
fi

# Rootless helpers need these devices; Debian makes them 0666, this
# machine kind ships them 0600.
for dev in /dev/net/tun /dev/fuse; do
  [ -e "$dev" ] && chmod 666 "$dev"
done

# The test users: rctl-test runs every integration test; rctl-test2 is the
# second user of the isolation tests (tests/isolation.rs). Their
# subordinate ranges do not overlap.
for entry in rctl-test:100000 rctl-test2:300000; do
  user=${entry%%:*}
  start=${entry##*:}
  if ! id "$user" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$user"
  fi
  for f in /etc/subuid /etc/subgid; do
    touch "$f"
    if ! grep -q "^$user:" "$f"; then
      echo "$user:$start:65536" >> "$f"
    fi
  done
  uid=$(id -u "$user")
  install -d -o "$user" -g "$user" -m 0700 "/run/user/$uid"
  echo "setup-host.sh: test user $user ready (uid $uid)"
done
echo "setup-host.sh: host ready"
