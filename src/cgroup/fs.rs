//! The cgroup v2 filesystem: the `cgroupfs` manager (a directory in a
//! delegated subtree, limits written to its interface files) and reading
//! a container's counters (`stats`, OOM kills).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{ROOT, Resources};

/// Where the `cgroupfs` manager creates container cgroups: beside the
/// caller's own cgroup (its parent must be delegated to the user, as the
/// cgroup of a `Delegate=yes` unit's parent is).
pub fn cgroupfs_parent(own: &str) -> PathBuf {
    let own = own.trim_start_matches('/');
    let parent = Path::new(own).parent().unwrap_or(Path::new(""));
    Path::new(ROOT).join(parent)
}

/// Write limits into the interface files of cgroup directory `dir`.
pub fn write_limits(dir: &Path, r: &Resources) -> Result<()> {
    for (file, value) in r.cgroup_files() {
        let path = dir.join(file);
        std::fs::write(&path, &value)
            .with_context(|| format!("write `{value}` to `{}`", path.display()))?;
    }
    Ok(())
}

/// Create `rctl-ID` beside our own cgroup, write the limits, and move
/// this process into it. Returns the new cgroup (relative, leading `/`).
pub fn create_and_join(id: &str, r: &Resources) -> Result<String> {
    let own = super::own_cgroup()?;
    let parent = cgroupfs_parent(&own);
    let dir = parent.join(format!("rctl-{id}"));
    if let Err(e) = std::fs::create_dir(&dir) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            bail!(
                "create the cgroup `{}`: {e}\nhint: the cgroupfs manager needs a cgroup subtree delegated to you (run rctl inside a unit with Delegate=yes), or use --cgroup-manager systemd",
                dir.display()
            );
        }
    }
    write_limits(&dir, r)?;
    let procs = dir.join("cgroup.procs");
    std::fs::write(&procs, std::process::id().to_string())
        .with_context(|| format!("move the monitor into `{}`", procs.display()))?;
    Ok(format!(
        "/{}",
        dir.strip_prefix(ROOT).unwrap_or(&dir).display()
    ))
}

/// The value of `KEY N` in a flat-keyed file (memory.events, cpu.stat).
pub fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok())?
    })
}

/// Sum of `rbytes=` and `wbytes=` over all devices in `io.stat`.
pub fn io_bytes(text: &str) -> (u64, u64) {
    let mut r = 0;
    let mut w = 0;
    for word in text.split_whitespace() {
        if let Some(v) = word.strip_prefix("rbytes=") {
            r += v.parse::<u64>().unwrap_or(0);
        } else if let Some(v) = word.strip_prefix("wbytes=") {
            w += v.parse::<u64>().unwrap_or(0);
        }
    }
    (r, w)
}

/// Received and sent bytes over every interface but `lo` in a
/// `/proc/PID/net/dev` text.
pub fn net_bytes(text: &str) -> (u64, u64) {
    let mut rx = 0;
    let mut tx = 0;
    for line in text.lines().skip(2) {
        let Some((iface, rest)) = line.split_once(':') else {
            continue;
        };
        if iface.trim() == "lo" {
            continue;
        }
        let cols: Vec<u64> = rest
            .split_whitespace()
            .map(|c| c.parse().unwrap_or(0))
            .collect();
        if cols.len() >= 9 {
            rx += cols[0];
            tx += cols[8];
        }
    }
    (rx, tx)
}

/// One reading of a container's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    /// cpu.stat `usage_usec`.
    pub cpu_usec: u64,
    pub mem_usage: u64,
    /// memory.max; `None` is unlimited.
    pub mem_limit: Option<u64>,
    pub pids: u64,
    pub block_read: u64,
    pub block_write: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    /// When it was taken (monotonic microseconds).
    pub at_usec: u64,
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_default()
}

/// Read the counters of cgroup `cg` (relative, leading `/`) and of the
/// network namespace of process `pid`.
pub fn sample(cg: &str, pid: Option<i32>) -> Result<Sample> {
    let dir = Path::new(ROOT).join(cg.trim_start_matches('/'));
    let cpu = std::fs::read_to_string(dir.join("cpu.stat"))
        .with_context(|| format!("read the cgroup `{}`", dir.display()))?;
    let (block_read, block_write) = io_bytes(&read(&dir, "io.stat"));
    let (net_rx, net_tx) = pid
        .map(|p| {
            net_bytes(&std::fs::read_to_string(format!("/proc/{p}/net/dev")).unwrap_or_default())
        })
        .unwrap_or_default();
    let at = nix::time::clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC)
        .map(|t| t.tv_sec() as u64 * 1_000_000 + t.tv_nsec() as u64 / 1000)
        .unwrap_or(0);
    Ok(Sample {
        cpu_usec: keyed(&cpu, "usage_usec").unwrap_or(0),
        mem_usage: read(&dir, "memory.current").trim().parse().unwrap_or(0),
        mem_limit: read(&dir, "memory.max").trim().parse().ok(),
        pids: read(&dir, "pids.current").trim().parse().unwrap_or(0),
        block_read,
        block_write,
        net_rx,
        net_tx,
        at_usec: at,
    })
}

/// CPU use between two samples, in percent of one CPU.
pub fn cpu_percent(before: &Sample, after: &Sample) -> f64 {
    let wall = after.at_usec.saturating_sub(before.at_usec);
    if wall == 0 {
        return 0.0;
    }
    after.cpu_usec.saturating_sub(before.cpu_usec) as f64 * 100.0 / wall as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_of_own_cgroup() {
        assert_eq!(
            cgroupfs_parent("/user.slice/u.service/app.slice/x.scope"),
            Path::new("/sys/fs/cgroup/user.slice/u.service/app.slice")
        );
        assert_eq!(cgroupfs_parent("/"), Path::new("/sys/fs/cgroup"));
    }

    #[test]
    fn counters() {
        assert_eq!(
            keyed("low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\n", "oom_kill"),
            Some(1)
        );
        assert_eq!(keyed("oom 2\n", "oom_kill"), None);
        assert_eq!(
            io_bytes("8:0 rbytes=100 wbytes=5 rios=1 wios=1\n8:16 rbytes=1 wbytes=2\n"),
            (101, 7)
        );
        let dev = "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets\n    lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n  eth0: 1200 10 0 0 0 0 0 0 800 7 0 0 0 0 0 0\n";
        assert_eq!(net_bytes(dev), (1200, 800));
    }

    #[test]
    fn cpu_percent_over_wall_time() {
        let a = Sample {
            cpu_usec: 1_000_000,
            at_usec: 10_000_000,
            ..Default::default()
        };
        let b = Sample {
            cpu_usec: 1_500_000,
            at_usec: 11_000_000,
            ..Default::default()
        };
        assert!((cpu_percent(&a, &b) - 50.0).abs() < 1e-9);
        assert_eq!(cpu_percent(&b, &b), 0.0);
    }
}
