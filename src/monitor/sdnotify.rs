//! `--sdnotify=container`: the monitor's proxy socket. Bound before the
//! container is forked (in the container's directory, mounted into it by
//! the spec, `units/notify_proxy.rs`); the poll loop hands it to
//! [`service`], which passes each notification on to the real
//! `NOTIFY_SOCKET` with the monitor as `MAINPID`. By then the monitor is
//! back in the unit's cgroup ([`super::cgroup::started`]), the only place
//! systemd takes notifications from.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};

use crate::units::notify_proxy::{self, SOCKET_NAME};

static PROXY: OnceLock<UnixDatagram> = OnceLock::new();

/// Bind the proxy socket of the container whose directory is
/// `container_dir` (replacing one left by an earlier run), mode 0777.
pub fn bind(container_dir: &Path) -> Result<()> {
    let dir = notify_proxy::host_dir(container_dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("create `{}`", dir.display()))?;
    // Through the directory's descriptor: the container directory's path
    // may be longer than a socket address holds (108 bytes).
    let d = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_PATH | nix::libc::O_DIRECTORY)
        .open(&dir)
        .with_context(|| format!("open `{}`", dir.display()))?;
    let path = format!("/proc/self/fd/{}/{SOCKET_NAME}", d.as_raw_fd());
    let _ = std::fs::remove_file(&path);
    let shown = dir.join(SOCKET_NAME);
    let sock = UnixDatagram::bind(&path)
        .with_context(|| format!("bind the notify socket `{}`", shown.display()))?;
    // The container's root and a non-root --user both send to it.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777))
        .with_context(|| format!("chmod `{}`", shown.display()))?;
    sock.set_nonblocking(true)
        .context("make the notify socket non-blocking")?;
    let _ = PROXY.set(sock);
    Ok(())
}

/// The proxy socket to poll, once bound.
pub fn poll_fd() -> Option<BorrowedFd<'static>> {
    PROXY.get().map(|s| s.as_fd())
}

/// Pass on every queued notification of the container.
pub fn service() {
    let Some(sock) = PROXY.get() else { return };
    let mut buf = [0u8; 4096];
    loop {
        match sock.recv(&mut buf) {
            Ok(n) => relay(&buf[..n], super::cgroup::notify_socket()),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                ::log::warn!("read the container's notification: {e}");
                return;
            }
        }
    }
}

/// Forward the container's datagram `msg` to `target` (nowhere without
/// a `NOTIFY_SOCKET`: the container may notify, nobody listens).
fn relay(msg: &[u8], target: Option<&str>) {
    let Some(out) = notify_proxy::forwarded(msg, std::process::id()) else {
        return;
    };
    let Some(target) = target else {
        ::log::debug!("no NOTIFY_SOCKET: dropped the container's {out:?}");
        return;
    };
    if let Err(e) = crate::units::notify(target, &out) {
        ::log::warn!("{e:#}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A container's datagram, through a real proxy socket, reaches a
    /// real listener with the monitor's pid.
    #[test]
    fn relay_passes_a_notification_to_the_listener() {
        let dir = std::env::temp_dir().join(format!("rctl-sdn-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let listener = UnixDatagram::bind(dir.join("systemd")).unwrap();
        let target = dir.join("systemd").to_string_lossy().into_owned();
        let (container, proxy) = UnixDatagram::pair().unwrap();
        container.send(b"READY=1\nSTATUS=up").unwrap();
        let mut buf = [0u8; 256];
        let n = proxy.recv(&mut buf).unwrap();
        relay(&buf[..n], Some(&target));
        let n = listener.recv(&mut buf).unwrap();
        assert_eq!(
            std::str::from_utf8(&buf[..n]).unwrap(),
            format!("MAINPID={}\nREADY=1\nSTATUS=up\n", std::process::id())
        );
        // Nothing forwardable, or nobody listening: nothing sent.
        relay(b"MAINPID=1", Some(&target));
        relay(b"READY=1", None);
        listener.set_nonblocking(true).unwrap();
        assert!(listener.recv(&mut buf).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
