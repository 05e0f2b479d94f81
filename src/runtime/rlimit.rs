//! `--ulimit NAME=SOFT[:HARD]`: parsing into OCI rlimits (pure) and
//! applying them in the container before the exec.

use anyhow::{Context, Result};
use nix::sys::resource::Resource;
use oci_spec::runtime::{PosixRlimit, PosixRlimitBuilder, PosixRlimitType};

const NAMES: &[(&str, PosixRlimitType, Resource)] = &[
    ("cpu", PosixRlimitType::RlimitCpu, Resource::RLIMIT_CPU),
    (
        "fsize",
        PosixRlimitType::RlimitFsize,
        Resource::RLIMIT_FSIZE,
    ),
    ("data", PosixRlimitType::RlimitData, Resource::RLIMIT_DATA),
    (
        "stack",
        PosixRlimitType::RlimitStack,
        Resource::RLIMIT_STACK,
    ),
    ("core", PosixRlimitType::RlimitCore, Resource::RLIMIT_CORE),
    ("rss", PosixRlimitType::RlimitRss, Resource::RLIMIT_RSS),
    (
        "nproc",
        PosixRlimitType::RlimitNproc,
        Resource::RLIMIT_NPROC,
    ),
    (
        "nofile",
        PosixRlimitType::RlimitNofile,
        Resource::RLIMIT_NOFILE,
    ),
    (
        "memlock",
        PosixRlimitType::RlimitMemlock,
        Resource::RLIMIT_MEMLOCK,
    ),
    ("as", PosixRlimitType::RlimitAs, Resource::RLIMIT_AS),
    (
        "locks",
        PosixRlimitType::RlimitLocks,
        Resource::RLIMIT_LOCKS,
    ),
    (
        "sigpending",
        PosixRlimitType::RlimitSigpending,
        Resource::RLIMIT_SIGPENDING,
    ),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UlimitError {
    #[error("invalid --ulimit `{0}`: use NAME=SOFT[:HARD], e.g. nofile=1024:2048")]
    Syntax(String),
    #[error(
        "unknown ulimit `{0}`: use one of cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending"
    )]
    Name(String),
    #[error("--ulimit `{0}`: the soft limit is above the hard limit")]
    Order(String),
}

fn value(s: &str) -> Option<u64> {
    if s == "-1" || s == "unlimited" {
        Some(u64::MAX)
    } else {
        s.parse().ok()
    }
}

/// Parse one `--ulimit`.
pub fn parse(s: &str) -> Result<PosixRlimit, UlimitError> {
    let (name, limits) = s
        .split_once('=')
        .ok_or_else(|| UlimitError::Syntax(s.into()))?;
    let typ = NAMES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, _)| *t)
        .ok_or_else(|| UlimitError::Name(name.into()))?;
    let (soft, hard) = match limits.split_once(':') {
        Some((a, b)) => (value(a), value(b)),
        None => (value(limits), value(limits)),
    };
    let (Some(soft), Some(hard)) = (soft, hard) else {
        return Err(UlimitError::Syntax(s.into()));
    };
    if soft > hard {
        return Err(UlimitError::Order(s.into()));
    }
    PosixRlimitBuilder::default()
        .typ(typ)
        .soft(soft)
        .hard(hard)
        .build()
        .map_err(|_| UlimitError::Syntax(s.into()))
}

/// Apply the rlimits to the calling process.
pub fn apply(limits: &[PosixRlimit]) -> Result<()> {
    for l in limits {
        let Some((name, _, res)) = NAMES.iter().find(|(_, t, _)| *t == l.typ()) else {
            continue;
        };
        nix::sys::resource::setrlimit(*res, l.soft(), l.hard()).with_context(|| {
            format!("set ulimit {name}={}:{} (a rootless container cannot raise a hard limit above rctl's own)", l.soft(), l.hard())
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let l = parse("nofile=100:200").unwrap();
        assert_eq!(
            (l.typ(), l.soft(), l.hard()),
            (PosixRlimitType::RlimitNofile, 100, 200)
        );
        let l = parse("core=-1").unwrap();
        assert_eq!((l.soft(), l.hard()), (u64::MAX, u64::MAX));
        assert_eq!(parse("bogus=1"), Err(UlimitError::Name("bogus".into())));
        assert_eq!(parse("nofile"), Err(UlimitError::Syntax("nofile".into())));
        assert_eq!(
            parse("nofile=5:1"),
            Err(UlimitError::Order("nofile=5:1".into()))
        );
    }
}
