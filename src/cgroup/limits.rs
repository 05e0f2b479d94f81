//! Resource limits as the user asks for them (`--memory 50m`, `--cpus 0.5`)
//! and their two enforced forms: systemd unit properties and cgroup v2
//! interface files. Pure: parsing, validation and mapping, no I/O.

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// The limits of one container, in kernel units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// `--memory`: bytes (memory.max, MemoryMax).
    pub memory: Option<u64>,
    /// Swap the container may use on top of `memory`, bytes; `u64::MAX` is
    /// unlimited (memory.swap.max, MemorySwapMax). From `--memory-swap`,
    /// which (as Docker's) counts memory plus swap.
    pub swap: Option<u64>,
    /// `--memory-reservation`: bytes (memory.low, MemoryLow).
    pub memory_low: Option<u64>,
    /// `--cpus`: CPU time per second of wall time, microseconds
    /// (cpu.max, CPUQuotaPerSecUSec).
    pub cpu_quota_us: Option<u64>,
    /// `--cpu-weight` or `--cpu-shares` converted: 1..=10000 (cpu.weight).
    pub cpu_weight: Option<u64>,
    /// `--cpuset-cpus`: a CPU list such as `0-2,4` (cpuset.cpus, AllowedCPUs).
    pub cpuset_cpus: Option<String>,
    /// `--pids-limit`: `u64::MAX` is unlimited (pids.max, TasksMax).
    pub pids: Option<u64>,
    /// `--blkio-weight` converted: 1..=10000 (io.weight, IOWeight).
    pub io_weight: Option<u64>,
}

/// The limits flags as typed (`run`, `create`, `update`).
#[derive(Debug, Clone, Default)]
pub struct LimitFlags<'a> {
    pub memory: Option<&'a str>,
    pub memory_swap: Option<&'a str>,
    pub memory_reservation: Option<&'a str>,
    pub cpus: Option<&'a str>,
    pub cpu_shares: Option<u64>,
    pub cpu_weight: Option<u64>,
    pub cpuset_cpus: Option<&'a str>,
    pub pids_limit: Option<i64>,
    pub blkio_weight: Option<u64>,
}

/// A cgroup v2 controller a limit needs.
pub type Controller = &'static str;

/// One limit that was asked for: the flag that asked and the controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub flag: &'static str,
    pub controller: Controller,
}

pub const UNLIMITED: u64 = u64::MAX;

/// Parse a size like Docker: `1024`, `50m`, `1.5g`, `512kb`, `2GiB`
/// (binary units; a bare number is bytes).
pub fn parse_size(flag: &str, s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(digits_end);
    let mult: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => bail!(
            "{flag} `{s}`: unknown unit `{unit}`\nhint: give bytes or a number with b, k, m, g (e.g. {flag} 512m)"
        ),
    };
    let n: f64 = match num.parse() {
        Ok(n) if num.chars().filter(|c| *c == '.').count() <= 1 => n,
        _ => bail!("{flag} `{s}` is not a size\nhint: e.g. {flag} 512m"),
    };
    let bytes = n * mult as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        bail!("{flag} `{s}` is too large");
    }
    Ok(bytes as u64)
}

/// Parse a CPU list (`0-3,6`) into the CPUs it names, checked.
pub fn parse_cpuset(s: &str) -> Result<Vec<u32>> {
    let bad =
        || anyhow::anyhow!("--cpuset-cpus `{s}` is not a CPU list\nhint: e.g. --cpuset-cpus 0-2,4");
    let mut cpus = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let a: u32 = a.trim().parse().map_err(|_| bad())?;
        let b: u32 = b.trim().parse().map_err(|_| bad())?;
        if a > b || b >= 8192 {
            return Err(bad());
        }
        cpus.extend(a..=b);
    }
    cpus.sort_unstable();
    cpus.dedup();
    Ok(cpus)
}

/// crun's mapping of cgroup v1 `cpu.shares` (2..=262144) to v2 `cpu.weight`.
pub fn shares_to_weight(shares: u64) -> u64 {
    let s = shares.clamp(2, 262_144);
    1 + ((s - 2) * 9999) / 262_142
}

/// crun's mapping of v1 `blkio.weight` (10..=1000) to v2 `io.weight`.
pub fn blkio_to_io_weight(w: u64) -> u64 {
    1 + ((w.clamp(10, 1000) - 10) * 9999) / 990
}

impl Resources {
    /// Validate the flags and turn them into limits. `base` holds the
    /// current limits (for `update`, where `--memory-swap` alone keeps
    /// `--memory`).
    pub fn from_flags(f: &LimitFlags, base: &Resources) -> Result<Resources> {
        let mut r = base.clone();
        if let Some(m) = f.memory {
            let m = parse_size("--memory", m)?;
            if m < 6 << 20 {
                bail!(
                    "--memory `{}` is below the minimum of 6m",
                    f.memory.unwrap_or("")
                );
            }
            r.memory = Some(m);
        }
        match f.memory_swap {
            Some("-1") => r.swap = Some(UNLIMITED),
            Some(s) => {
                let total = parse_size("--memory-swap", s)?;
                let Some(mem) = r.memory else {
                    bail!(
                        "--memory-swap needs --memory (it counts memory plus swap)\nhint: add --memory, e.g. --memory 256m --memory-swap 512m"
                    );
                };
                if total < mem {
                    bail!(
                        "--memory-swap `{s}` is smaller than --memory (it counts memory plus swap)\nhint: give at least the --memory value, or -1 for unlimited swap"
                    );
                }
                r.swap = Some(total - mem);
            }
            // Podman's default: as much swap as memory.
            None if f.memory.is_some() => r.swap = r.memory,
            None => {}
        }
        if let Some(m) = f.memory_reservation {
            r.memory_low = Some(parse_size("--memory-reservation", m)?);
        }
        if let (Some(low), Some(max)) = (r.memory_low, r.memory) {
            if low > max {
                bail!("--memory-reservation must not be larger than --memory");
            }
        }
        if let Some(c) = f.cpus {
            let n: f64 = c
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite() && *n > 0.0 && *n <= 4096.0)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--cpus `{c}` is not a positive number of CPUs\nhint: e.g. --cpus 0.5 or --cpus 2"
                    )
                })?;
            // At least 1 ms per second (the kernel's minimum quota).
            r.cpu_quota_us = Some(((n * 1_000_000.0).round() as u64).max(1000));
        }
        if f.cpu_shares.is_some() && f.cpu_weight.is_some() {
            bail!("give --cpu-shares or --cpu-weight, not both");
        }
        if let Some(s) = f.cpu_shares {
            if !(2..=262_144).contains(&s) {
                bail!("--cpu-shares {s} is out of range\nhint: 2 to 262144 (1024 is the default)");
            }
            r.cpu_weight = Some(shares_to_weight(s));
        }
        if let Some(w) = f.cpu_weight {
            if !(1..=10_000).contains(&w) {
                bail!("--cpu-weight {w} is out of range\nhint: 1 to 10000 (100 is the default)");
            }
            r.cpu_weight = Some(w);
        }
        if let Some(c) = f.cpuset_cpus {
            parse_cpuset(c)?;
            r.cpuset_cpus = Some(c.trim().to_string());
        }
        if let Some(p) = f.pids_limit {
            r.pids = Some(if p <= 0 { UNLIMITED } else { p as u64 });
        }
        if let Some(w) = f.blkio_weight {
            if !(10..=1000).contains(&w) {
                bail!("--blkio-weight {w} is out of range\nhint: 10 to 1000");
            }
            r.io_weight = Some(blkio_to_io_weight(w));
        }
        Ok(r)
    }

    pub fn is_empty(&self) -> bool {
        self == &Resources::default()
    }

    /// The controllers these limits need, with the flag that asked.
    pub fn needs(&self) -> Vec<Need> {
        let mut n = Vec::new();
        let mut add = |set: bool, flag, controller| {
            if set {
                n.push(Need { flag, controller });
            }
        };
        add(self.memory.is_some(), "--memory", "memory");
        add(
            self.swap.is_some() && self.memory.is_none(),
            "--memory-swap",
            "memory",
        );
        add(self.memory_low.is_some(), "--memory-reservation", "memory");
        add(self.cpu_quota_us.is_some(), "--cpus", "cpu");
        add(self.cpu_weight.is_some(), "--cpu-weight", "cpu");
        add(self.cpuset_cpus.is_some(), "--cpuset-cpus", "cpuset");
        add(self.pids.is_some(), "--pids-limit", "pids");
        add(self.io_weight.is_some(), "--blkio-weight", "io");
        n
    }

    /// The systemd unit properties that enforce these limits.
    pub fn unit_properties(&self) -> Vec<(&'static str, PropValue)> {
        let mut p = Vec::new();
        if let Some(m) = self.memory {
            p.push(("MemoryMax", PropValue::U64(m)));
        }
        if let Some(s) = self.swap {
            p.push(("MemorySwapMax", PropValue::U64(s)));
        }
        if let Some(l) = self.memory_low {
            p.push(("MemoryLow", PropValue::U64(l)));
        }
        if let Some(q) = self.cpu_quota_us {
            p.push(("CPUQuotaPerSecUSec", PropValue::U64(q)));
        }
        if let Some(w) = self.cpu_weight {
            p.push(("CPUWeight", PropValue::U64(w)));
        }
        if let Some(c) = &self.cpuset_cpus {
            if let Ok(cpus) = parse_cpuset(c) {
                p.push(("AllowedCPUs", PropValue::Bytes(cpu_mask(&cpus))));
            }
        }
        if let Some(t) = self.pids {
            p.push(("TasksMax", PropValue::U64(t)));
        }
        if let Some(w) = self.io_weight {
            p.push(("IOWeight", PropValue::U64(w)));
        }
        p
    }

    /// The cgroup v2 interface files (name, content) that enforce these
    /// limits, in the order to write them.
    pub fn cgroup_files(&self) -> Vec<(&'static str, String)> {
        let max = |v: u64| {
            if v == UNLIMITED {
                "max".to_string()
            } else {
                v.to_string()
            }
        };
        let mut f = Vec::new();
        if let Some(c) = &self.cpuset_cpus {
            f.push(("cpuset.cpus", c.clone()));
        }
        if let Some(m) = self.memory {
            f.push(("memory.max", max(m)));
        }
        if let Some(s) = self.swap {
            f.push(("memory.swap.max", max(s)));
        }
        if let Some(l) = self.memory_low {
            f.push(("memory.low", max(l)));
        }
        if let Some(q) = self.cpu_quota_us {
            // cpu.max is "QUOTA PERIOD"; a 100 ms period as systemd uses.
            f.push(("cpu.max", format!("{} 100000", q / 10)));
        }
        if let Some(w) = self.cpu_weight {
            f.push(("cpu.weight", w.to_string()));
        }
        if let Some(t) = self.pids {
            f.push(("pids.max", max(t)));
        }
        if let Some(w) = self.io_weight {
            f.push(("io.weight", format!("default {w}")));
        }
        f
    }
}

/// A unit property's value, as D-Bus types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropValue {
    U64(u64),
    Bool(bool),
    Str(String),
    Bytes(Vec<u8>),
    Pids(Vec<u32>),
}

/// systemd's CPU set wire form: a little-endian bit mask, CPU 0 is bit 0
/// of byte 0.
pub fn cpu_mask(cpus: &[u32]) -> Vec<u8> {
    let len = cpus.iter().max().map_or(0, |m| *m as usize / 8 + 1);
    let mut mask = vec![0u8; len];
    for c in cpus {
        mask[*c as usize / 8] |= 1 << (c % 8);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(parse_size("--memory", "1024").unwrap(), 1024);
        assert_eq!(parse_size("--memory", "50m").unwrap(), 50 << 20);
        assert_eq!(parse_size("--memory", "50MB").unwrap(), 50 << 20);
        assert_eq!(parse_size("--memory", "1.5g").unwrap(), 3 << 29);
        assert_eq!(parse_size("--memory", "2GiB").unwrap(), 2 << 30);
        for bad in ["", "m", "12x", "1.2.3m", "-5m"] {
            assert!(parse_size("--memory", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cpusets() {
        assert_eq!(parse_cpuset("0-2,4").unwrap(), vec![0, 1, 2, 4]);
        assert_eq!(parse_cpuset("3").unwrap(), vec![3]);
        for bad in ["", "2-1", "a", "0-", "99999"] {
            assert!(parse_cpuset(bad).is_err(), "{bad}");
        }
        assert_eq!(cpu_mask(&[0, 1, 9]), vec![0b11, 0b10]);
    }

    fn flags(f: impl FnOnce(&mut LimitFlags)) -> Result<Resources> {
        let mut l = LimitFlags::default();
        f(&mut l);
        Resources::from_flags(&l, &Resources::default())
    }

    #[test]
    fn memory_and_swap_follow_docker() {
        let r = flags(|l| l.memory = Some("50m")).unwrap();
        assert_eq!(r.memory, Some(50 << 20));
        assert_eq!(r.swap, Some(50 << 20), "default: as much swap as memory");
        let r = flags(|l| {
            l.memory = Some("50m");
            l.memory_swap = Some("50m")
        })
        .unwrap();
        assert_eq!(r.swap, Some(0));
        let r = flags(|l| {
            l.memory = Some("50m");
            l.memory_swap = Some("-1")
        })
        .unwrap();
        assert_eq!(r.swap, Some(UNLIMITED));
        assert!(flags(|l| l.memory_swap = Some("1g")).is_err());
        assert!(
            flags(|l| {
                l.memory = Some("1g");
                l.memory_swap = Some("50m")
            })
            .is_err()
        );
        assert!(
            flags(|l| l.memory = Some("1m")).is_err(),
            "below the minimum"
        );
    }

    #[test]
    fn cpu_flags() {
        let r = flags(|l| l.cpus = Some("0.5")).unwrap();
        assert_eq!(r.cpu_quota_us, Some(500_000));
        assert_eq!(r.cgroup_files(), vec![("cpu.max", "50000 100000".into())]);
        for bad in ["0", "-1", "x", "NaN"] {
            assert!(flags(|l| l.cpus = Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(shares_to_weight(2), 1);
        assert_eq!(shares_to_weight(1024), 39);
        assert_eq!(shares_to_weight(262_144), 10_000);
        assert_eq!(
            flags(|l| l.cpu_shares = Some(1024)).unwrap().cpu_weight,
            Some(39)
        );
        assert!(
            flags(|l| {
                l.cpu_shares = Some(1024);
                l.cpu_weight = Some(5)
            })
            .is_err()
        );
        assert!(flags(|l| l.cpu_weight = Some(0)).is_err());
    }

    #[test]
    fn pids_and_io() {
        assert_eq!(flags(|l| l.pids_limit = Some(20)).unwrap().pids, Some(20));
        assert_eq!(
            flags(|l| l.pids_limit = Some(-1)).unwrap().pids,
            Some(UNLIMITED)
        );
        assert_eq!(blkio_to_io_weight(10), 1);
        assert_eq!(blkio_to_io_weight(1000), 10_000);
        assert!(flags(|l| l.blkio_weight = Some(5)).is_err());
    }

    #[test]
    fn needs_name_flag_and_controller() {
        let r = flags(|l| {
            l.memory = Some("64m");
            l.cpus = Some("1");
            l.pids_limit = Some(10);
            l.cpuset_cpus = Some("0");
            l.blkio_weight = Some(500)
        })
        .unwrap();
        let c: Vec<&str> = r.needs().iter().map(|n| n.controller).collect();
        assert_eq!(c, vec!["memory", "cpu", "cpuset", "pids", "io"]);
        assert_eq!(r.needs()[0].flag, "--memory");
    }

    #[test]
    fn unit_properties_map_every_limit() {
        let r = flags(|l| {
            l.memory = Some("64m");
            l.memory_swap = Some("64m");
            l.memory_reservation = Some("32m");
            l.cpus = Some("1.5");
            l.cpu_weight = Some(200);
            l.cpuset_cpus = Some("1");
            l.pids_limit = Some(0);
            l.blkio_weight = Some(1000)
        })
        .unwrap();
        let p = r.unit_properties();
        let names: Vec<&str> = p.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            vec![
                "MemoryMax",
                "MemorySwapMax",
                "MemoryLow",
                "CPUQuotaPerSecUSec",
                "CPUWeight",
                "AllowedCPUs",
                "TasksMax",
                "IOWeight"
            ]
        );
        assert_eq!(p[0].1, PropValue::U64(64 << 20));
        assert_eq!(p[1].1, PropValue::U64(0));
        assert_eq!(p[3].1, PropValue::U64(1_500_000));
        assert_eq!(p[5].1, PropValue::Bytes(vec![0b10]));
        assert_eq!(p[6].1, PropValue::U64(UNLIMITED));
        let files = r.cgroup_files();
        assert!(files.contains(&("pids.max", "max".into())));
        assert!(files.contains(&("memory.max", (64u64 << 20).to_string())));
        assert!(files.contains(&("io.weight", "default 10000".into())));
    }
}
