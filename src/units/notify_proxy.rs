//! `--sdnotify=container`, the pure part: where the proxy socket is (on
//! the host and in the container), how the spec gets it, and what of a
//! container's notification the monitor passes on to systemd.
//!
//! The monitor binds a datagram socket in the container's directory
//! (`notify/notify.sock`, mode 0777 so that a non-root `--user` may send);
//! the directory is bind-mounted at `/run/notify` and `NOTIFY_SOCKET`
//! names the socket there. The monitor forwards what arrives, with its own
//! pid as `MAINPID`, from the unit's cgroup (`monitor/sdnotify.rs`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use oci_spec::runtime::{MountBuilder, Spec};

/// The directory in the container the proxy socket is mounted on.
pub const CONTAINER_DIR: &str = "/run/notify";
/// The socket's name in that directory (and in the host directory).
pub const SOCKET_NAME: &str = "notify.sock";

/// The host directory holding the proxy socket of the container whose
/// directory is `container_dir`.
pub fn host_dir(container_dir: &Path) -> PathBuf {
    container_dir.join("notify")
}

/// `NOTIFY_SOCKET` as the container sees it.
pub fn container_socket() -> String {
    format!("{CONTAINER_DIR}/{SOCKET_NAME}")
}

/// Add the proxy's directory (created here) as a bind mount at
/// [`CONTAINER_DIR`] and set `NOTIFY_SOCKET` in the process environment.
pub fn adapt_spec(spec: &mut Spec, container_dir: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let dir = host_dir(container_dir);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(&dir)
        .with_context(|| format!("create `{}`", dir.display()))?;
    // A non-root user in the container must reach the socket.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("chmod `{}`", dir.display()))?;
    let mount = MountBuilder::default()
        .destination(CONTAINER_DIR)
        .typ("bind")
        .source(&dir)
        .options(vec!["bind".into(), "nosuid".into(), "nodev".into()])
        .build()
        .context("the notify socket's mount")?;
    let mut mounts = spec.mounts().clone().unwrap_or_default();
    mounts.retain(|m| m.destination() != Path::new(CONTAINER_DIR));
    mounts.push(mount);
    spec.set_mounts(Some(mounts));
    if let Some(process) = spec.process_mut() {
        let mut env = process.env().clone().unwrap_or_default();
        env.retain(|e| e.split('=').next() != Some("NOTIFY_SOCKET"));
        env.push(format!("NOTIFY_SOCKET={}", container_socket()));
        process.set_env(Some(env));
    }
    Ok(())
}

/// What to send to systemd for the container's datagram `msg`: its
/// assignments (`READY=1`, `STATUS=…`, `RELOADING=1`, …) after
/// `MAINPID=<mainpid>` (the monitor, the unit's main process). The
/// container's own `MAINPID=` (a pid in its namespace) and anything that
/// would need passed descriptors are dropped; `None` when nothing is left.
pub fn forwarded(msg: &[u8], mainpid: u32) -> Option<String> {
    let text = String::from_utf8_lossy(msg);
    let kept: Vec<&str> = text
        .split('\n')
        .filter(|l| l.contains('='))
        .filter(|l| {
            let key = l.split('=').next().unwrap_or_default();
            !matches!(key, "MAINPID" | "FDSTORE" | "FDSTOREREMOVE" | "BARRIER")
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    let mut out = format!("MAINPID={mainpid}\n");
    for l in kept {
        out.push_str(l);
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_is_forwarded_with_the_monitor_as_mainpid() {
        assert_eq!(
            forwarded(b"READY=1", 42).as_deref(),
            Some("MAINPID=42\nREADY=1\n")
        );
        assert_eq!(
            forwarded(b"READY=1\nSTATUS=serving\nMAINPID=1\n", 7).as_deref(),
            Some("MAINPID=7\nREADY=1\nSTATUS=serving\n")
        );
    }

    #[test]
    fn nothing_forwardable_is_dropped() {
        assert_eq!(forwarded(b"", 1), None);
        assert_eq!(forwarded(b"MAINPID=3\n", 1), None);
        assert_eq!(forwarded(b"garbage", 1), None);
        assert_eq!(forwarded(b"FDSTORE=1\nBARRIER=1", 1), None);
        assert_eq!(
            forwarded(b"\xffWATCHDOG=1", 9).as_deref(),
            Some("MAINPID=9\n\u{fffd}WATCHDOG=1\n")
        );
    }

    #[test]
    fn the_spec_gets_the_socket_mount_and_env() {
        let dir = std::env::temp_dir().join(format!("rctl-np-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut spec = Spec::default();
        if let Some(p) = spec.process_mut() {
            p.set_env(Some(vec!["PATH=/bin".into(), "NOTIFY_SOCKET=/x".into()]));
        }
        adapt_spec(&mut spec, &dir).unwrap();
        adapt_spec(&mut spec, &dir).unwrap();
        assert!(host_dir(&dir).is_dir());
        let mounts = spec.mounts().clone().unwrap();
        let ours: Vec<_> = mounts
            .iter()
            .filter(|m| m.destination() == Path::new(CONTAINER_DIR))
            .collect();
        assert_eq!(ours.len(), 1, "{mounts:?}");
        assert_eq!(ours[0].source().as_deref(), Some(host_dir(&dir).as_path()));
        let env = spec.process().as_ref().unwrap().env().clone().unwrap();
        assert_eq!(
            env,
            vec![
                "PATH=/bin".to_string(),
                "NOTIFY_SOCKET=/run/notify/notify.sock".to_string()
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
