#!/usr/bin/env bash
# The whole test suite: host setup (as root), format, lints, unit and
# integration tests. Integration tests run rctl as an unprivileged user.
set -euo pipefail
cd "$(dirname "$0")/.."

# The systemd VM image (tests/systemd_vm.rs) is built once and cached
# (about 90 s; instant afterwards).
if [ "$(id -u)" -eq 0 ]; then
  contrib/setup-host.sh
  contrib/vm/build-image.sh >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo contrib/setup-host.sh
  sudo contrib/vm/build-image.sh >/dev/null
else
  echo "test.sh: not root and no sudo: assuming the host is set up already" >&2
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --all-targets
