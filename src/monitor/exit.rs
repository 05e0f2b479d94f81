//! Reaping: the monitor is a subreaper; the container's init's status is
//! turned into an exit code (128+N for signal N) and recorded.

use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::container::store::Store;
use crate::container::{Status, now};

/// Reap every exited child; return the exit code of `init` if it was one.
pub fn reap(init: Pid) -> Option<i32> {
    reap_with(init, &mut |_| {})
}

/// [`reap`], telling `other` about each other child that exited (the
/// monitor's healthchecks).
pub fn reap_with(init: Pid, other: &mut dyn FnMut(Pid)) -> Option<i32> {
    let mut code = None;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, c)) if pid == init => code = Some(c),
            Ok(WaitStatus::Signaled(pid, s, _)) if pid == init => code = Some(128 + s as i32),
            Ok(WaitStatus::Exited(pid, _)) | Ok(WaitStatus::Signaled(pid, _, _)) => other(pid),
            Ok(WaitStatus::StillAlive) | Err(_) => return code,
            Ok(_) => continue,
        }
    }
}

/// Record the exit in the container's state.
pub fn record(store: &Store, id: &str, code: i32) {
    let res = store.update(id, |c| {
        c.state.status = Status::Exited;
        c.state.exit_code = Some(code);
        c.state.oom_killed = super::cgroup::oom_killed(c);
        c.state.finished_at = Some(now());
        c.state.pid = None;
        c.state.pid_start = None;
        c.state.monitor_pid = None;
    });
    res.iter().for_each(|c| crate::events::died(c, code));
    if let Err(e) = res {
        log::error!("record the exit of container {id}: {e:#}");
    }
}
