//! What the monitor prepares before it forks the container: the
//! fuse-overlayfs mount of the layers, and the network namespace with its
//! helper (pasta or slirp4netns). Both happen before the container's PID
//! namespace exists, so their processes are not the container's.

use std::io::Write;

use anyhow::{Context, Result};
use nix::sys::signal::Signal;

use crate::sys;

/// A fuse-overlayfs mount of a container's layers, unmounted (which ends
/// its daemon) when dropped.
pub struct FuseMount {
    pub target: std::path::PathBuf,
}

impl FuseMount {
    pub fn mount(
        lower: &[std::path::PathBuf],
        dir: &std::path::Path,
        helpers: &crate::helper::HelperPath,
    ) -> Result<FuseMount> {
        let target = dir.join("fuse");
        fs_err::create_dir_all(&target)?;
        let lowers: Vec<String> = lower
            .iter()
            .rev()
            .map(|p| p.to_string_lossy().replace(':', "\\:"))
            .collect();
        let options = format!(
            "lowerdir={},upperdir={},workdir={},allow_other",
            lowers.join(":"),
            dir.join("upper").display(),
            dir.join("work").display()
        );
        let diagnose = |_: &std::path::Path, stderr: &str| -> Option<String> {
            (stderr.contains("/dev/fuse") || stderr.contains("ermission"))
                .then(|| "fuse-overlayfs needs /dev/fuse: as root `chmod 666 /dev/fuse` (or `modprobe fuse`)".to_string())
        };
        crate::helper::Helper::new("fuse-overlayfs")
            .args([
                std::ffi::OsString::from("-o"),
                options.into(),
                target.clone().into(),
            ])
            .diagnose(&diagnose)
            .run(helpers)
            .context("stack the image layers with fuse-overlayfs")?;
        Ok(FuseMount { target })
    }
}

impl Drop for FuseMount {
    fn drop(&mut self) {
        if let Err(e) = nix::mount::umount2(&self.target, nix::mount::MntFlags::MNT_DETACH) {
            ::log::warn!("unmount fuse-overlayfs at `{}`: {e}", self.target.display());
        }
    }
}

/// Give the monitor (and so the container it forks) a new network
/// namespace connected by pasta or slirp4netns.
///
/// The helper must start from the user's own network namespace (pasta
/// looks for the host's default route there) and rctl cannot go back to
/// that namespace once it left it (the host owns it). So a short-lived
/// child makes the new namespace, the helper is attached to the child's,
/// the monitor joins it, and the child is killed. All of this happens
/// before the PID namespace is unshared, so the helper is a process of
/// the user's PID namespace, not one the container can see or signal.
pub fn enter_network(
    plan: &crate::network::NetworkPlan,
    helpers: &crate::helper::HelperPath,
    dir: &std::path::Path,
) -> Result<crate::network::NetworkHandle> {
    use std::io::Read;
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let holder = match sys::fork().context("fork the network namespace holder")? {
        sys::Fork::Child => {
            drop(rx);
            let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
            let made = nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).is_ok()
                && sys::loopback_up().is_ok();
            let mut w = std::fs::File::from(tx);
            let _ = w.write_all(if made { b"R" } else { b"E" });
            drop(w);
            loop {
                sys::pause();
            }
        }
        sys::Fork::Parent(pid) => pid,
    };
    drop(tx);
    let result = (|| -> Result<crate::network::NetworkHandle> {
        let mut byte = [0u8; 1];
        let mut r = std::fs::File::from(rx);
        if !matches!(r.read(&mut byte), Ok(1)) || byte[0] != b'R' {
            anyhow::bail!("create the container's network namespace");
        }
        let handle = crate::network::attach(plan, holder.as_raw(), helpers, dir)?;
        let joined = fs_err::File::open(format!("/proc/{holder}/ns/net"))
            .map_err(anyhow::Error::from)
            .and_then(|ns| {
                nix::sched::setns(ns, nix::sched::CloneFlags::CLONE_NEWNET)
                    .context("join the container's network namespace")
            });
        if let Err(e) = joined {
            let _ = handle.stop();
            return Err(e);
        }
        Ok(handle)
    })();
    let _ = nix::sys::signal::kill(holder, Signal::SIGKILL);
    let _ = nix::sys::wait::waitpid(holder, None);
    result
}

/// Join the namespaces the spec names by path (a pod's infra, another
/// container for `--network container:`), before the container's PID
/// namespace exists; the container's init then keeps them.
pub fn join_namespaces(spec: &oci_spec::runtime::Spec) -> Result<()> {
    use nix::sched::CloneFlags;
    use oci_spec::runtime::LinuxNamespaceType as T;
    let namespaces = spec
        .linux()
        .as_ref()
        .and_then(|l| l.namespaces().clone())
        .unwrap_or_default();
    for ns in namespaces {
        let Some(path) = ns.path() else { continue };
        let flag = match ns.typ() {
            T::Network => CloneFlags::CLONE_NEWNET,
            T::Ipc => CloneFlags::CLONE_NEWIPC,
            T::Uts => CloneFlags::CLONE_NEWUTS,
            other => anyhow::bail!("joining a {other:?} namespace is not supported"),
        };
        let f = fs_err::File::open(path)
            .with_context(|| format!("open the namespace to share (`{}`)", path.display()))?;
        nix::sched::setns(f, flag)
            .with_context(|| format!("join the namespace `{}`", path.display()))?;
    }
    Ok(())
}
