//! The restart policy carried out: after the monitor has recorded an
//! exit, it decides (`container::policy::should_restart`), waits the
//! back-off, checks that nobody stopped or removed the container
//! meanwhile, counts the restart and starts the container under a new
//! monitor (a fresh process: the old PID namespace died with its init),
//! then exits.

use std::os::fd::AsRawFd;

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

/// After the monitor of container `id` has finished: restart it when the
/// policy says so.
pub fn after_exit(app: &App, store: &Store, id: &str) -> Result<()> {
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
    let Ok(c) = store.load(id) else {
        return Ok(());
    };
    // `rctl stop`, `rm` or `start` may have come meanwhile.
    if !wanted(&c) {
        return Ok(());
    }
    let c = store.update(id, |c| c.state.restart_count += 1)?;
    if let Err(e) = lifecycle::start(app, store, &c, Attach::Detached) {
        ::log::error!("restart container {id}: {e:#}");
    }
    Ok(())
}
