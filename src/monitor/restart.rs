//! The restart policy carried out. The monitor itself cannot start the
//! next run: it has joined the container's network namespace and cannot
//! go back (the host owns the user's). So before it sets anything up, the
//! monitor forks a restarter that stays in the user's own namespaces and
//! waits for the monitor to exit. Then the restarter decides
//! (`container::policy::should_restart`), waits the back-off, checks that
//! nobody stopped or removed the container meanwhile, counts the restart
//! and starts the container under a new monitor, and exits.

use std::os::fd::{AsFd, AsRawFd};

use anyhow::Result;

use crate::app::App;
use crate::container::lifecycle::{self, Attach};
use crate::container::policy::{self, HealthOnFailure, UNHEALTHY};
use crate::container::store::Store;
use crate::container::{Container, Status};

/// Whether `c` (just exited) is to be started again.
pub fn wanted(c: &Container) -> bool {
    if c.state.status != Status::Exited {
        return false;
    }
    let health_restart = c.config.health_on_failure == HealthOnFailure::Restart
        && c.state
            .health
            .as_ref()
            .is_some_and(|h| h.status == UNHEALTHY);
    policy::should_restart(
        c.config.restart,
        c.state.exit_code.unwrap_or(0),
        c.state.restart_count,
        c.state.stopped_by_user,
        health_restart,
    )
}

/// A start asked for by the user: the restart count starts over and the
/// policy applies again.
pub fn reset_for_user_start(store: &Store, id: &str) -> Result<()> {
    store.update(id, |c| {
        c.state.restart_count = 0;
        c.state.stopped_by_user = false;
    })?;
    Ok(())
}

/// Mark a container stopped by the user: no restart (until `rctl start`).
pub fn mark_stopped(store: &Store, id: &str) -> Result<()> {
    store.update(id, |c| c.state.stopped_by_user = true)?;
    Ok(())
}

/// Let go of the caller's terminal or pipes (an attached `run` has
/// returned already) before waiting.
fn detach_stdio() {
    if let Ok(null) = crate::sys::dev_null() {
        for fd in 0..3 {
            let _ = nix::unistd::dup2(null.as_raw_fd(), fd);
        }
    }
}

/// In the monitor of container `id`, before it leaves the user's
/// namespaces: fork the restarter when the container may need one.
pub fn spawn_restarter(app: &App, store: &Store, id: &str) -> Result<()> {
    let c = store.load(id)?;
    if c.config.restart == policy::RestartPolicy::No
        && c.config.health_on_failure != HealthOnFailure::Restart
    {
        return Ok(());
    }
    let monitor = nix::unistd::getpid();
    match crate::sys::fork()? {
        crate::sys::Fork::Parent(_) => Ok(()),
        crate::sys::Fork::Child => {
            // Not in the caller's session (its ^C), holding none of its
            // descriptors (the report pipe must close with the monitor).
            let _ = nix::unistd::setsid();
            let _ = crate::sys::close_fds_except(&[]);
            detach_stdio();
            crate::sys::set_process_name("rctl-restarter");
            if let Ok(fd) = crate::sys::pidfd_open(monitor.as_raw()) {
                crate::sys::pidfd_wait_exit(fd.as_fd(), None);
            }
            // Only a container that ran under that monitor is restarted
            // (a start that failed is not retried in a loop).
            if store
                .load(id)
                .is_ok_and(|now| now.state.started_at != c.state.started_at)
            {
                if let Err(e) = after_exit(app, store, id) {
                    ::log::error!("restart container {id}: {e:#}");
                }
            }
            crate::sys::exit_now(0)
        }
    }
}

/// After the monitor of container `id` has finished: restart it when the
/// policy says so.
fn after_exit(app: &App, store: &Store, id: &str) -> Result<()> {
    let Ok(c) = store.load(id) else {
        return Ok(()); // removed (--rm, rm -f)
    };
    if !wanted(&c) {
        return Ok(());
    }
    detach_stdio();
    let ran = match (c.state.started_at, c.state.finished_at) {
        (Some(s), Some(f)) if f > s => std::time::Duration::from_nanos((f - s) as u64),
        _ => std::time::Duration::ZERO,
    };
    std::thread::sleep(policy::backoff(c.state.restart_count, ran));
    // `rctl stop`, `rm` or `start` may have come meanwhile: decided and
    // counted under the start lock, which `stop` takes too.
    let go = |now: &Container| -> Result<bool> {
        if !wanted(now) {
            return Ok(false);
        }
        store.update(id, |c| c.state.restart_count += 1)?;
        Ok(true)
    };
    if let Err(e) = lifecycle::start_when(app, store, &c, Attach::Detached, go) {
        ::log::error!("restart container {id}: {e:#}");
    }
    Ok(())
}
