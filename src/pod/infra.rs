//! The pod's infra process (`rctl pod-infra ID`, hidden): rctl re-executed
//! in its own session, inside rctl's user namespace. It makes the pod's
//! network namespace (with pasta or slirp4netns attached, the same way a
//! container's monitor does: `monitor::setup::enter_network`), then its
//! IPC and UTS namespaces (hostname = the pod's), records its pid and the
//! network handle in the pod's record, reports to the starting rctl, and
//! sleeps until SIGTERM/SIGINT/SIGHUP, when it stops the helper and clears
//! its state. It runs no code of the image and holds no container files;
//! members join its namespaces through `/proc/PID/ns/*`.

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};

use anyhow::{Context, Result};
use nix::sched::CloneFlags;
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};

use super::PodStore;
use crate::network::NetworkMode;
use crate::sys;

/// Report lines on the pipe to the starting rctl.
pub const STARTED: &str = "started";
pub const FAILED: &str = "failed";

/// Run the infra of pod `id` (full id); `report` is the caller's pipe.
pub fn run(
    root: &std::path::Path,
    id: &str,
    report: OwnedFd,
    helpers: &crate::helper::HelperPath,
) -> Result<()> {
    let _ = nix::unistd::setsid();
    sys::set_process_name("rctl-pod-infra");
    let _ = sys::close_fds_except(&[report.as_raw_fd()]);
    let mut report = std::fs::File::from(report);
    let mut mask = SigSet::empty();
    for s in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        mask.add(s);
    }
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&mask), None).context("block signals")?;
    let pods = PodStore::new(root);
    let handle = match setup(&pods, id, helpers) {
        Ok(h) => h,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            let _ = writeln!(report, "{FAILED} {} {msg}", crate::error::RCTL_ERROR);
            return Ok(());
        }
    };
    let pid = std::process::id() as i32;
    let recorded = pods.update(id, |p| {
        p.state.infra_pid = Some(pid);
        p.state.infra_start = crate::userns::process_start_time(pid);
        p.state.network = handle.clone();
        p.state.started_at = Some(crate::container::now());
    });
    if let Err(e) = recorded {
        if let Some(h) = &handle {
            let _ = h.stop();
        }
        let _ = writeln!(report, "{FAILED} {} {e:#}", crate::error::RCTL_ERROR);
        return Ok(());
    }
    let _ = writeln!(report, "{STARTED} {pid}");
    drop(report);
    sys::trim_code_pages();
    // Sleep until told to stop (signals are blocked, so none is lost).
    while mask.wait().is_err() {}
    if let Some(h) = &handle {
        if let Err(e) = h.stop() {
            ::log::warn!("stop the network helper of pod {id}: {e}");
        }
    }
    let _ = pods.update(id, |p| {
        p.state.infra_pid = None;
        p.state.infra_start = None;
        p.state.network = None;
    });
    Ok(())
}

/// Make the pod's namespaces; the network handle when a helper runs.
fn setup(
    pods: &PodStore,
    id: &str,
    helpers: &crate::helper::HelperPath,
) -> Result<Option<crate::network::NetworkHandle>> {
    let pod = pods.load(id)?;
    let handle = match &pod.net.mode {
        m if m.has_helper() => Some(crate::monitor::setup::enter_network(
            &pod.net,
            helpers,
            &pods.dir_of(id),
        )?),
        NetworkMode::Host => None,
        _ => {
            nix::sched::unshare(CloneFlags::CLONE_NEWNET)
                .context("create the pod's network namespace")?;
            sys::loopback_up().context("bring up loopback")?;
            None
        }
    };
    let made = nix::sched::unshare(CloneFlags::CLONE_NEWIPC | CloneFlags::CLONE_NEWUTS)
        .context("create the pod's IPC and UTS namespaces")
        .and_then(|()| {
            nix::unistd::sethostname(&pod.hostname)
                .with_context(|| format!("set hostname `{}`", pod.hostname))
        });
    if let Err(e) = made {
        if let Some(h) = &handle {
            let _ = h.stop();
        }
        return Err(e);
    }
    // Members' monitors open /proc/PID/ns/* of this process: the
    // credential change of entering the user namespace made it
    // non-dumpable, which would refuse them (ptrace access check).
    let _ = nix::sys::prctl::set_dumpable(true);
    Ok(handle)
}
