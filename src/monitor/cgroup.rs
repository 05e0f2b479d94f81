//! The monitor's cgroup duties: join the container's cgroup (systemd
//! scope or cgroupfs directory) before the container is forked, so that
//! the container and its helpers start inside it; once the container
//! runs, tell a `Type=notify` unit (`--sdnotify conmon`; with
//! `container` only the main pid, READY=1 is the container's, relayed by
//! `sdnotify.rs`); at exit, note
//! whether the kernel OOM-killed it.
//!
//! Under a notify unit the monitor is the unit's main process, and systemd
//! only accepts notifications from the unit's own cgroup: the monitor then
//! moves back there after the fork, leaving the container in its scope.

use std::sync::OnceLock;

use anyhow::Result;

use crate::cgroup::{self, CgroupManager};
use crate::container::Container;
use crate::container::store::Store;
use crate::units::SdNotify;

/// Set by [`join`]: where the monitor was before, and whether it reports
/// to a notify unit.
struct Joined {
    original: Option<String>,
    notify_socket: Option<String>,
    /// `--sdnotify=container`: READY=1 is the container's to send.
    ready_from_container: bool,
    /// The cgroup the monitor made itself (`cgroupfs`), removed at the end.
    own_dir: Option<String>,
}

static JOINED: OnceLock<Joined> = OnceLock::new();

/// Join container `c`'s cgroup and record it in the container's state.
pub fn join(store: &Store, c: &Container) -> Result<()> {
    let notify_socket = match c.config.sdnotify {
        SdNotify::Ignore => None,
        _ => crate::env::notify_socket().map(str::to_string),
    };
    let original = cgroup::own_cgroup().ok();
    let joined = |own_dir| Joined {
        original: original.clone(),
        notify_socket: notify_socket.clone(),
        ready_from_container: c.config.sdnotify == SdNotify::Container,
        own_dir,
    };
    let Some(plan) = c
        .config
        .cgroup
        .as_ref()
        .filter(|p| p.manager != CgroupManager::None)
    else {
        let _ = JOINED.set(joined(None));
        return Ok(());
    };
    let cg = match plan.manager {
        CgroupManager::None => unreachable!("filtered above"),
        CgroupManager::Systemd => {
            if original
                .as_deref()
                .is_some_and(|o| o.ends_with(&format!("/{}", cgroup::scope_name(&c.id))))
            {
                original.clone().unwrap_or_default()
            } else {
                match cgroup::systemd::start_scope(
                    &cgroup::scope_name(&c.id),
                    &c.id,
                    &plan.resources,
                ) {
                    Ok(cg) => cg,
                    // Nothing was asked for but the default pids limit:
                    // run without a cgroup rather than not at all.
                    Err(e) if only_defaults(&plan.resources) => {
                        ::log::warn!(
                            "{e:#}: container {} runs without a cgroup (no limits, no stats)\nhint: `rctl check` diagnoses the user bus; --cgroup-manager none silences this",
                            c.short_id()
                        );
                        let _ = JOINED.set(joined(None));
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        CgroupManager::Cgroupfs => cgroup::fs::create_and_join(&c.id, &plan.resources)?,
    };
    let own_dir = (plan.manager == CgroupManager::Cgroupfs).then(|| cg.clone());
    let _ = JOINED.set(joined(own_dir));
    store.update(&c.id, |c| {
        c.state.cgroup = Some(cg.clone());
        c.state.oom_killed = false;
    })?;
    Ok(())
}

/// The container runs: under a notify unit, go back to the unit's cgroup
/// and send READY=1 with the monitor as MAINPID (only MAINPID with
/// `--sdnotify=container`: the unit's first main process, the starting
/// `rctl`, is about to exit, and systemd must know who follows it).
pub fn started() {
    let Some(j) = JOINED.get() else { return };
    let Some(socket) = &j.notify_socket else {
        return;
    };
    if let Some(orig) = &j.original {
        let procs = format!("{}{orig}/cgroup.procs", cgroup::ROOT);
        if let Err(e) = std::fs::write(&procs, std::process::id().to_string()) {
            ::log::warn!("move the monitor back to `{procs}`: {e}");
        }
    }
    let msg = if j.ready_from_container {
        format!("MAINPID={}\n", std::process::id())
    } else {
        format!("MAINPID={}\nREADY=1\n", std::process::id())
    };
    if let Err(e) = crate::units::notify(socket, &msg) {
        ::log::warn!("{e:#}");
    }
}

/// The unit's `NOTIFY_SOCKET`, when the monitor reports to one.
pub fn notify_socket() -> Option<&'static str> {
    JOINED.get()?.notify_socket.as_deref()
}

/// Whether the monitor reports to a notify unit (its exit code is then
/// the container's, so that `Restart=on-failure` sees failures).
pub fn is_unit_main() -> bool {
    JOINED.get().is_some_and(|j| j.notify_socket.is_some())
}

/// Whether the kernel OOM-killed a process in the container's cgroup.
pub fn oom_killed(c: &Container) -> bool {
    c.state
        .cgroup
        .as_deref()
        .is_some_and(|cg| cgroup::oom_kills(cg) > 0)
}

/// The monitor is done: remove the cgroup it created (`cgroupfs`) after
/// moving back to where it came from (systemd removes its scopes itself).
pub fn release() {
    let Some(j) = JOINED.get() else { return };
    let (Some(dir), Some(orig)) = (&j.own_dir, &j.original) else {
        return;
    };
    let procs = format!("{}{orig}/cgroup.procs", cgroup::ROOT);
    if let Err(e) = std::fs::write(&procs, std::process::id().to_string()) {
        ::log::warn!("leave the cgroup `{dir}` (move to `{procs}`): {e}");
        return;
    }
    let path = format!("{}{dir}", cgroup::ROOT);
    if let Err(e) = std::fs::remove_dir(&path) {
        ::log::warn!("remove the cgroup `{path}`: {e}");
    }
}

/// Whether the limits are only what rctl adds by itself.
fn only_defaults(r: &cgroup::Resources) -> bool {
    let mut r = r.clone();
    if r.pids == Some(cgroup::DEFAULT_PIDS_LIMIT) {
        r.pids = None;
    }
    r.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_default_pids_limit_counts_as_nothing_asked() {
        let mut r = cgroup::Resources::default();
        assert!(only_defaults(&r));
        r.pids = Some(cgroup::DEFAULT_PIDS_LIMIT);
        assert!(only_defaults(&r));
        r.pids = Some(20);
        assert!(!only_defaults(&r));
        let r = cgroup::Resources {
            memory: Some(1 << 30),
            ..Default::default()
        };
        assert!(!only_defaults(&r));
    }
}
