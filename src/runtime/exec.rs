//! Running another process in a live container (`rctl exec`): join the
//! namespaces of its init through `/proc/PID/ns`, fork into its PID
//! namespace, and exec with the container's credentials and confinement.

use std::os::fd::OwnedFd;

use anyhow::{Context, Result};
use nix::sched::CloneFlags;
use nix::sys::wait::WaitStatus;
use oci_spec::runtime::{LinuxSeccomp, Process};

use super::exec_io::{self, ExecIo};
use super::init::{self, Failure};
use crate::sys;

/// The namespaces joined, in order (mount last: it changes our root).
const NAMESPACES: &[(&str, CloneFlags)] = &[
    ("cgroup", CloneFlags::CLONE_NEWCGROUP),
    ("ipc", CloneFlags::CLONE_NEWIPC),
    ("uts", CloneFlags::CLONE_NEWUTS),
    ("net", CloneFlags::CLONE_NEWNET),
    ("pid", CloneFlags::CLONE_NEWPID),
    ("mnt", CloneFlags::CLONE_NEWNS),
];

/// How the exec'd process ended.
pub enum Outcome {
    /// Exit status, or 128+N for signal N.
    Exited(u8),
    /// It could not be started.
    Failed(Failure),
    /// It runs in the background (detached).
    Started,
}

/// Run `process` inside the container whose init is `pid`; wait for it
/// unless `detach` (then its stdio is /dev/null and the container's init
/// inherits it when rctl exits).
pub fn run(
    pid: i32,
    process: &Process,
    profile: Option<&LinuxSeccomp>,
    io: ExecIo,
) -> Result<Outcome> {
    let detach = io == ExecIo::Detached;
    // Open every namespace first: after joining the mount namespace,
    // /proc is the container's.
    let fds: Vec<(OwnedFd, CloneFlags)> = NAMESPACES
        .iter()
        .filter_map(|(name, flag)| {
            let path = format!("/proc/{pid}/ns/{name}");
            let same = std::fs::metadata(&path)
                .ok()
                .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
                == std::fs::metadata(format!("/proc/self/ns/{name}"))
                    .ok()
                    .map(|m| std::os::unix::fs::MetadataExt::ino(&m));
            if same {
                return None;
            }
            Some(
                fs_err::File::open(&path)
                    .map(|f| (OwnedFd::from(f.into_parts().0), *flag))
                    .with_context(|| {
                        format!("open namespace `{path}` (is the container running?)")
                    }),
            )
        })
        .collect::<Result<_>>()?;
    // The process is reachable from the container once it joins: make it
    // non-dumpable so /proc/PID/exe (rctl itself) cannot be opened.
    nix::sys::prctl::set_dumpable(false).context("make rctl non-dumpable")?;
    let single = sys::single_threaded().context("fork into the container")?;
    for (fd, flag) in &fds {
        nix::sched::setns(fd, *flag)
            .with_context(|| format!("join the container's {flag:?} namespace"))?;
    }
    drop(fds);
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("create a pipe")?;
    let (child_side, parent_side) = exec_io::prepare(io)?;
    match sys::fork_single(single).context("fork into the container")? {
        sys::Fork::Child => {
            drop(rx);
            drop(parent_side);
            let failure = match exec_io::child_setup(child_side) {
                Err(e) => Failure {
                    code: crate::error::RCTL_ERROR,
                    message: format!("connect the streams: {e:#}"),
                },
                Ok(()) => match init::exec_with(process, profile) {
                    Ok(never) => match never {},
                    Err(f) => f,
                },
            };
            let mut w = std::fs::File::from(tx);
            let _ = std::io::Write::write_all(
                &mut w,
                format!("{} {}", failure.code, failure.message).as_bytes(),
            );
            sys::exit_now(failure.code as i32)
        }
        sys::Fork::Parent(child) => {
            drop(tx);
            drop(child_side);
            let report = read_report(rx);
            if report.is_none() {
                exec_io::pump(parent_side);
            }
            if detach {
                return Ok(match report {
                    Some(f) => {
                        let _ = nix::sys::wait::waitpid(child, None);
                        Outcome::Failed(f)
                    }
                    None => Outcome::Started,
                });
            }
            let status = loop {
                match nix::sys::wait::waitpid(child, None) {
                    Ok(WaitStatus::Exited(_, c)) => break c as u8,
                    Ok(WaitStatus::Signaled(_, s, _)) => break 128 + s as u8,
                    Ok(_) => continue,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(e) => return Err(e).context("wait for the exec'd process"),
                }
            };
            Ok(match report {
                Some(f) => Outcome::Failed(f),
                None => Outcome::Exited(status),
            })
        }
    }
}

/// Read a failure report from a child; `None` when it exec'd cleanly.
pub fn read_report(rx: OwnedFd) -> Option<Failure> {
    let mut s = String::new();
    let _ = std::io::Read::read_to_string(&mut std::fs::File::from(rx), &mut s);
    if s.is_empty() {
        return None;
    }
    let (code, message) = s.split_once(' ').unwrap_or((&s, ""));
    Some(Failure {
        code: code.parse().unwrap_or(crate::error::RCTL_ERROR),
        message: message.to_string(),
    })
}
