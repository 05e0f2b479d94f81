//! An external OCI runtime (`--runtime runc`): the same spec rctl's own
//! init executes, handed to another runtime as a bundle (the container's
//! directory: `config.json`, root filesystem mounted on `merged`).
//!
//! The monitor mounts the root filesystem in a mount namespace of its own,
//! runs `RUNTIME create` with the container's stdio, then `RUNTIME start`.
//! `create` exits once the container's init exists, so the init reparents
//! to the monitor (a subreaper): the monitor reaps it, forwards signals to
//! it and records its exit exactly as with rctl's own init. The runtime
//! runs inside rctl's user namespace as uid 0 and is not asked for another
//! user namespace or for cgroups (the spec has neither `linux.resources`
//! nor `linux.cgroupsPath`).

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{LinuxNamespaceType, Spec};

use crate::error::{CANNOT_INVOKE, NOT_FOUND, RCTL_ERROR};

/// Resolve `--runtime PATH|NAME` to an executable's absolute path.
pub fn resolve(name: &str, path_var: Option<&str>) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = if name.contains('/') {
        vec![PathBuf::from(name)]
    } else {
        path_var
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .split(':')
            .filter(|d| !d.is_empty())
            .chain(["/usr/sbin", "/sbin"])
            .map(|d| Path::new(d).join(name))
            .collect()
    };
    for c in candidates {
        if c.is_file() {
            return std::path::absolute(&c).with_context(|| format!("resolve `{}`", c.display()));
        }
    }
    bail!(
        "OCI runtime `{name}` not found\nhint: install it (Debian package `runc`) or give --runtime the runtime's path"
    )
}

/// What the external runtime is told differs from rctl's own init: when
/// the monitor already made the network namespace (pasta, slirp4netns),
/// the runtime must stay in it rather than make another; and the default
/// devices (`/dev/null`, `/dev/tty`, …), which rctl binds as spec mounts,
/// are the runtime's own to create (runc binds them again rootless and
/// fails opening a bound `/dev/tty` without a controlling terminal).
pub fn adapt_spec(mut spec: Spec, netns_ready: bool) -> Spec {
    if let Some(mounts) = spec.mounts_mut() {
        mounts.retain(|m| {
            !super::spec::DEVICES
                .iter()
                .any(|d| m.destination() == Path::new(&format!("/dev/{d}")))
        });
    }
    if netns_ready {
        if let Some(linux) = spec.linux_mut() {
            if let Some(ns) = linux.namespaces_mut() {
                ns.retain(|n| n.typ() != LinuxNamespaceType::Network);
            }
        }
    }
    spec
}

/// The runtime's state directory (`--root`) for the container in `dir`.
pub fn state_dir(dir: &Path) -> PathBuf {
    dir.join("oci")
}

/// The exit code a failed `create` maps to (as Podman: a missing command
/// is 127, one that cannot be run 126, anything else 125).
pub fn failure_code(message: &str) -> u8 {
    let m = message.to_lowercase();
    if m.contains("executable file not found") || m.contains("no such file or directory") {
        NOT_FOUND
    } else if m.contains("permission denied") {
        CANNOT_INVOKE
    } else {
        RCTL_ERROR
    }
}

/// A failed step with the exit code it maps to.
pub struct LaunchError {
    pub code: u8,
    pub message: String,
}

fn runtime_cmd(runtime: &Path, dir: &Path) -> Command {
    let state = state_dir(dir);
    let mut cmd = Command::new(runtime);
    cmd.arg("--root")
        .arg(&state)
        .arg("--log")
        .arg(state.join("runtime.log"))
        .arg("--log-format")
        .arg("text")
        .arg("--rootless")
        .arg("true");
    cmd
}

/// The last error the runtime logged (runc's text log: `level=error msg="…"`).
fn last_error(dir: &Path) -> Option<String> {
    let log = std::fs::read_to_string(state_dir(dir).join("runtime.log")).ok()?;
    let line = log.lines().rev().find(|l| l.contains("level=error"))?;
    let msg = line.split_once("msg=").map(|(_, m)| m).unwrap_or(line);
    Some(msg.trim().trim_matches('"').replace("\\\"", "\""))
}

/// Mount the root filesystem on the bundle's `merged` directory in a new
/// mount namespace of the calling process (the monitor), which the
/// runtime's container namespace then copies.
pub fn mount_root(source: &super::RootfsSource, dir: &Path) -> Result<()> {
    use nix::mount::{MsFlags, mount};
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNS)
        .context("create the monitor's mount namespace")?;
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("make the monitor's mounts private")?;
    let overlay = super::mounts::OverlayDirs {
        upper: dir.join("upper"),
        work: dir.join("work"),
    };
    let merged = dir.join("merged");
    for d in [&overlay.upper, &overlay.work, &merged] {
        fs_err::create_dir_all(d)?;
    }
    super::mounts::mount_rootfs(source, &merged, &overlay)?;
    // Empty volumes filled from the image, as rctl's own runtime does.
    let spec = Spec::load(dir.join("config.json"))
        .with_context(|| format!("read `{}`", dir.join("config.json").display()))?;
    let root = super::confined::open_root(&merged)?;
    super::copyup::run(&root, &spec)
}

/// Undo [`mount_root`] (so that `--rm` can remove the directory).
pub fn unmount_root(dir: &Path) {
    let _ = nix::mount::umount2(&dir.join("merged"), nix::mount::MntFlags::MNT_DETACH);
}

/// Create and start container `id` from the bundle `dir` with `stdio` as
/// its stdin/stdout/stderr; return the container init's pid.
pub fn launch(
    runtime: &Path,
    dir: &Path,
    id: &str,
    stdio: &[OwnedFd; 3],
) -> Result<i32, LaunchError> {
    let fail = |code: u8, e: anyhow::Error| LaunchError {
        code,
        message: format!("{e:#}"),
    };
    let state = state_dir(dir);
    fs_err::create_dir_all(&state).map_err(|e| fail(RCTL_ERROR, e.into()))?;
    let pid_file = state.join("pid");
    let name = runtime.display().to_string();
    let dup = |i: usize| -> Result<Stdio, LaunchError> {
        stdio[i]
            .try_clone()
            .map(Stdio::from)
            .map_err(|e| fail(RCTL_ERROR, anyhow::Error::new(e).context("pass stdio")))
    };
    // A container of this name left by a monitor that died: forget it.
    let _ = runtime_cmd(runtime, dir)
        .args(["delete", "--force", id])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let status = runtime_cmd(runtime, dir)
        .arg("create")
        .arg("--bundle")
        .arg(dir)
        .arg("--pid-file")
        .arg(&pid_file)
        .arg(id)
        .stdin(dup(0)?)
        .stdout(dup(1)?)
        .stderr(dup(2)?)
        .status()
        .map_err(|e| fail(RCTL_ERROR, anyhow::anyhow!("run `{name} create`: {e}")))?;
    if !status.success() {
        let msg = last_error(dir).unwrap_or_else(|| format!("{status}"));
        return Err(LaunchError {
            code: failure_code(&msg),
            message: format!("`{name} create`: {msg}"),
        });
    }
    let pid: i32 = fs_err::read_to_string(&pid_file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| {
            fail(
                RCTL_ERROR,
                anyhow::anyhow!("`{name} create` wrote no pid to `{}`", pid_file.display()),
            )
        })?;
    let status = runtime_cmd(runtime, dir)
        .args(["start", id])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| fail(RCTL_ERROR, anyhow::anyhow!("run `{name} start`: {e}")))?;
    if !status.success() {
        delete(runtime, dir, id);
        let msg = last_error(dir).unwrap_or_else(|| format!("{status}"));
        return Err(LaunchError {
            code: failure_code(&msg),
            message: format!("`{name} start`: {msg}"),
        });
    }
    Ok(pid)
}

/// Forget the container's runtime state (after its init exited).
pub fn delete(runtime: &Path, dir: &Path, id: &str) {
    let res = runtime_cmd(runtime, dir)
        .args(["delete", "--force", id])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(res, Ok(s) if s.success()) {
        log::debug!("`{} delete {id}` failed: {res:?}", runtime.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_failures_map_like_podman() {
        assert_eq!(
            failure_code(
                "runc create failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH"
            ),
            NOT_FOUND
        );
        assert_eq!(
            failure_code("exec: \"/etc\": permission denied"),
            CANNOT_INVOKE
        );
        assert_eq!(failure_code("cgroup trouble"), RCTL_ERROR);
    }

    #[test]
    fn adapted_spec_leaves_devices_and_a_ready_netns_to_the_runtime() {
        let spec = Spec::default();
        let n = |s: &Spec| {
            s.linux()
                .as_ref()
                .and_then(|l| l.namespaces().clone())
                .unwrap_or_default()
                .iter()
                .filter(|n| n.typ() == LinuxNamespaceType::Network)
                .count()
        };
        assert_eq!(n(&adapt_spec(spec.clone(), false)), n(&spec));
        assert_eq!(n(&adapt_spec(spec, true)), 0);
    }

    #[test]
    fn missing_runtime_names_the_package() {
        let e = resolve("no-such-runtime-xyz", Some("/nonexistent")).unwrap_err();
        let m = format!("{e:#}");
        assert!(m.contains("`no-such-runtime-xyz` not found"), "{m}");
        assert!(m.contains("`runc`"), "{m}");
    }
}
