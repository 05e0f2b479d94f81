//! The processes of a running container: every host process in the
//! container's PID namespace, with its pid as the container sees it.

use std::os::unix::fs::MetadataExt;

use anyhow::{Context, Result, bail};

use super::store::Store;
use super::{Container, Status, lifecycle};

/// One process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub uid: u32,
    pub pid: i32,
    pub ppid: i32,
    pub command: String,
}

/// `(pid, ppid)` as the innermost PID namespace sees them, and the uid,
/// from a `/proc/PID/status` text.
pub fn parse_status(text: &str) -> Option<(i32, u32)> {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    let pid = field("NSpid:")?.split_whitespace().last()?.parse().ok()?;
    let uid = field("Uid:")?.split_whitespace().next()?.parse().ok()?;
    Some((pid, uid))
}

/// List the container's processes.
pub fn list(store: &Store, c: &Container) -> Result<Vec<Proc>> {
    let c = lifecycle::refresh(store, c)?;
    if c.state.status != Status::Running {
        bail!("container `{}` is not running", c.name);
    }
    let init = c.state.pid.context("running container without pid")?;
    let ns = fs_err::metadata(format!("/proc/{init}/ns/pid"))?.ino();
    let mut host_to_ns = std::collections::HashMap::new();
    let mut procs = Vec::new();
    for e in fs_err::read_dir("/proc")?.flatten() {
        let Ok(host_pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if std::fs::metadata(format!("/proc/{host_pid}/ns/pid"))
            .map(|m| m.ino())
            .ok()
            != Some(ns)
        {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(format!("/proc/{host_pid}/status")) else {
            continue;
        };
        let Some((pid, uid)) = parse_status(&status) else {
            continue;
        };
        let host_ppid: i32 = status
            .lines()
            .find_map(|l| l.strip_prefix("PPid:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let cmd = std::fs::read(format!("/proc/{host_pid}/cmdline")).unwrap_or_default();
        let command = String::from_utf8_lossy(&cmd)
            .replace('\0', " ")
            .trim()
            .to_string();
        host_to_ns.insert(host_pid, pid);
        procs.push((
            host_ppid,
            Proc {
                uid,
                pid,
                ppid: 0,
                command,
            },
        ));
    }
    let mut out: Vec<Proc> = procs
        .into_iter()
        .map(|(hp, mut p)| {
            p.ppid = host_to_ns.get(&hp).copied().unwrap_or(0);
            p
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_gives_the_innermost_pid() {
        let s = "Name:\tsh\nPPid:\t10\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t4242\t7\n";
        assert_eq!(parse_status(s), Some((7, 1000)));
    }
}
