//! Cgroups: which manager places a container (systemd transient scope,
//! a delegated cgroupfs subtree, or none), whether the limits a user asks
//! for can be enforced here, and reading a container's cgroup (stats, OOM).
//!
//! The choice and the checks happen at `create`/`run` (errors exit 125
//! before anything exists); the monitor joins the cgroup before it forks
//! the container (`monitor::cgroup`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use crate::config::CgroupManager;
use crate::probe::CgroupVersion;

pub mod dbus;
pub mod fs;
pub mod limits;
pub mod systemd;

pub use limits::{LimitFlags, Resources};

/// Where cgroup v2 is mounted.
pub const ROOT: &str = "/sys/fs/cgroup";

/// Podman's default `--pids-limit` when a cgroup manager is active.
pub const DEFAULT_PIDS_LIMIT: u64 = 2048;

/// How a container's cgroup is managed, fixed at create time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgroupPlan {
    pub manager: CgroupManager,
    pub resources: Resources,
}

/// The uid the host sees for us (the outside of our user namespace).
pub fn host_uid() -> u32 {
    let uid = nix::unistd::getuid().as_raw();
    let map = std::fs::read_to_string("/proc/self/uid_map").unwrap_or_default();
    host_id_from_map(&map, uid).unwrap_or(uid)
}

/// Map `id` inside a namespace to the outside through a `uid_map` text.
pub fn host_id_from_map(map: &str, id: u32) -> Option<u32> {
    map.lines().find_map(|l| {
        let mut it = l.split_whitespace().map(|w| w.parse::<u64>().ok());
        let (inside, outside, count) = (it.next()??, it.next()??, it.next()??);
        let id = u64::from(id);
        (id >= inside && id < inside + count).then(|| (outside + id - inside) as u32)
    })
}

/// The user's systemd manager's cgroup (`user@UID.service`).
pub fn user_manager_cgroup(uid: u32) -> PathBuf {
    Path::new(ROOT).join(format!("user.slice/user-{uid}.slice/user@{uid}.service"))
}

/// This process's cgroup v2 path (relative to [`ROOT`], with a leading `/`).
pub fn own_cgroup() -> Result<String> {
    let text = fs_err::read_to_string("/proc/self/cgroup")?;
    parse_proc_cgroup(&text).context("no cgroup v2 entry in /proc/self/cgroup")
}

/// The `0::PATH` entry of a `/proc/PID/cgroup` text.
pub fn parse_proc_cgroup(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("0::"))
        .map(|p| p.trim().to_string())
}

/// The controllers a manager could give a container, or why none.
fn available(manager: CgroupManager, version: CgroupVersion) -> Result<Vec<String>, String> {
    if version != CgroupVersion::V2 {
        return Err(format!(
            "this host has cgroup {} and rootless limits need cgroup v2 (cgroup manager `{}`)",
            version.name(),
            manager.name()
        ));
    }
    let file = match manager {
        CgroupManager::None => return Err("the cgroup manager is `none` (no cgroup)".into()),
        CgroupManager::Systemd => user_manager_cgroup(host_uid()).join("cgroup.controllers"),
        CgroupManager::Cgroupfs => match own_cgroup() {
            Ok(own) => {
                let parent = fs::cgroupfs_parent(&own);
                if nix::unistd::access(&parent, nix::unistd::AccessFlags::W_OK).is_err() {
                    return Err(format!(
                        "`{}` is not delegated to you (not writable)",
                        parent.display()
                    ));
                }
                parent.join("cgroup.subtree_control")
            }
            Err(e) => return Err(format!("{e:#}")),
        },
    };
    match std::fs::read_to_string(&file) {
        Ok(s) => Ok(s.split_whitespace().map(str::to_string).collect()),
        Err(e) => Err(format!("cannot read `{}`: {e}", file.display())),
    }
}

/// The fix for missing controllers, for a hint line.
pub const DELEGATE_FIX: &str = "as root, delegate the controllers to user sessions: mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload (then log in again); on cgroup v1 or hybrid hosts first boot with systemd.unified_cgroup_hierarchy=1; or drop the limit flags";

/// Decide the cgroup plan of a new container: the manager, the limits
/// asked for (checked against what the manager can enforce: an error
/// naming the missing controller, never a silent no-op), and the default
/// pids limit when the pids controller is there.
pub fn plan(
    manager: CgroupManager,
    version: CgroupVersion,
    mut resources: Resources,
    pids_flag_given: bool,
) -> Result<CgroupPlan> {
    let needs = resources.needs();
    let avail = available(manager, version);
    if !needs.is_empty() {
        let have = match &avail {
            Ok(h) => h.clone(),
            Err(why) => {
                let n = &needs[0];
                let hint = if manager == CgroupManager::None && version == CgroupVersion::V2 {
                    "pick a cgroup manager: --cgroup-manager systemd (needs the user bus) or cgroupfs (needs a delegated subtree), or engine.cgroup_manager in rctl.toml; or drop the limit flags"
                } else {
                    DELEGATE_FIX
                };
                bail!(
                    "{} needs the cgroup controller `{}`, which rctl cannot use here: {why}\nhint: {hint}",
                    n.flag,
                    n.controller,
                );
            }
        };
        if let Some(n) = needs
            .iter()
            .find(|n| !have.iter().any(|h| h == n.controller))
        {
            bail!(
                "{} needs the cgroup controller `{}`, which is not delegated to you (available: {}; cgroup manager `{}`)\nhint: {DELEGATE_FIX}",
                n.flag,
                n.controller,
                if have.is_empty() {
                    "none".to_string()
                } else {
                    have.join(" ")
                },
                manager.name()
            );
        }
    }
    if !pids_flag_given
        && manager != CgroupManager::None
        && avail.is_ok_and(|h| h.iter().any(|c| c == "pids"))
    {
        resources.pids = Some(DEFAULT_PIDS_LIMIT);
    }
    Ok(CgroupPlan { manager, resources })
}

/// The systemd scope name of a container.
pub fn scope_name(id: &str) -> String {
    format!("rctl-{id}.scope")
}

/// How many times the kernel OOM-killed a process in cgroup `cg`
/// (relative path, leading `/`).
pub fn oom_kills(cg: &str) -> u64 {
    std::fs::read_to_string(format!("{ROOT}{cg}/memory.events"))
        .ok()
        .and_then(|t| fs::keyed(&t, "oom_kill"))
        .unwrap_or(0)
}

/// Move the calling process into a running container's cgroup `cg`
/// (`exec`: what it starts then counts against the container's limits
/// and is found in its cgroup, as with Podman).
pub fn join_running(plan: &CgroupPlan, cg: &str, id: &str) -> Result<()> {
    match plan.manager {
        CgroupManager::None => Ok(()),
        CgroupManager::Systemd => systemd::attach(&scope_name(id), std::process::id()).map(|_| ()),
        CgroupManager::Cgroupfs => {
            let procs = format!("{ROOT}{cg}/cgroup.procs");
            std::fs::write(&procs, std::process::id().to_string())
                .with_context(|| format!("join the cgroup `{cg}` (write `{procs}`)"))
        }
    }
}

/// Apply changed limits to a running container's cgroup.
pub fn update(plan: &CgroupPlan, cg: &str, id: &str) -> Result<()> {
    match plan.manager {
        CgroupManager::None => Ok(()),
        CgroupManager::Systemd => systemd::set_properties(&scope_name(id), &plan.resources),
        CgroupManager::Cgroupfs => fs::write_limits(
            &Path::new(ROOT).join(cg.trim_start_matches('/')),
            &plan.resources,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_ids_through_a_map() {
        let map = "         0       1000          1\n         1     100000      65536\n";
        assert_eq!(host_id_from_map(map, 0), Some(1000));
        assert_eq!(host_id_from_map(map, 5), Some(100_004));
        assert_eq!(host_id_from_map("0 0 4294967295\n", 1000), Some(1000));
        assert_eq!(host_id_from_map("", 3), None);
    }

    #[test]
    fn proc_cgroup_v2_entry() {
        let text = "12:memory:/x\n0::/user.slice/user-1000.slice/session-1.scope\n";
        assert_eq!(
            parse_proc_cgroup(text).as_deref(),
            Some("/user.slice/user-1000.slice/session-1.scope")
        );
        assert_eq!(parse_proc_cgroup("1:name=systemd:/\n"), None);
    }

    #[test]
    fn limits_with_manager_none_name_the_controller_and_the_fix() {
        let r = Resources {
            memory: Some(50 << 20),
            ..Default::default()
        };
        let e = plan(CgroupManager::None, CgroupVersion::Hybrid, r, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--memory needs the cgroup controller `memory`"),
            "{e}"
        );
        assert!(e.contains("Delegate=cpu cpuset io memory pids"), "{e}");
        let e = plan(
            CgroupManager::Systemd,
            CgroupVersion::Hybrid,
            Resources::default().clone_with_pids(),
            true,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`pids`") && e.contains("cgroup v2"), "{e}");
    }

    #[test]
    fn limits_with_none_on_a_v2_host_point_at_a_manager() {
        let r = Resources {
            cpu_quota_us: Some(500_000),
            ..Default::default()
        };
        let e = plan(CgroupManager::None, CgroupVersion::V2, r, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--cpus needs the cgroup controller `cpu`"),
            "{e}"
        );
        assert!(e.contains("--cgroup-manager systemd"), "{e}");
    }

    #[test]
    fn no_limits_with_none_is_fine_and_gets_no_default_pids_limit() {
        let p = plan(
            CgroupManager::None,
            CgroupVersion::Hybrid,
            Resources::default(),
            false,
        )
        .unwrap();
        assert_eq!(p.manager, CgroupManager::None);
        assert!(p.resources.is_empty());
    }

    impl Resources {
        fn clone_with_pids(&self) -> Resources {
            Resources {
                pids: Some(5),
                ..self.clone()
            }
        }
    }
}
