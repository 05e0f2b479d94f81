//! One healthcheck run (`rctl healthcheck run`, also what the monitor's
//! timer starts): the check command runs in the container through
//! `rctl exec` in its own process group (so a timeout kills the check and
//! whatever it started), its output and exit code are kept, and the
//! container's health state is updated under its lock.

use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::policy::{HealthRun, HealthState, OUTPUT_KEEP};
use super::store::Store;
use super::{Container, Status, lifecycle, now};
use crate::config::Dirs;

/// What one run of the check command gave.
struct Ran {
    exit_code: i32,
    output: Vec<u8>,
}

/// Run `command` in container `id` through `rctl exec`, at most `timeout`.
fn exec_check(dirs: &Dirs, id: &str, command: &[String], timeout: Duration) -> Result<Ran> {
    let exe = fs_err::read_link("/proc/self/exe")?;
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("create a pipe")?;
    let mut child = std::process::Command::new(&exe)
        .arg("--root")
        .arg(&dirs.root)
        .arg("--runroot")
        .arg(&dirs.runroot)
        .arg("exec")
        .arg(id)
        .args(command)
        .stdin(std::process::Stdio::null())
        .stdout(tx.try_clone().context("duplicate a descriptor")?)
        .stderr(tx)
        .process_group(0)
        .spawn()
        .with_context(|| format!("run `{}` for the healthcheck", exe.display()))?;
    let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
    let deadline = Instant::now() + timeout;
    let mut output = Vec::new();
    let mut rx = std::fs::File::from(rx);
    let mut timed_out = false;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            timed_out = true;
            break;
        }
        let mut fds = [nix::poll::PollFd::new(
            rx.as_fd(),
            nix::poll::PollFlags::POLLIN,
        )];
        let ms = left.as_millis().min(60_000) as u16;
        match nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(ms)) {
            Ok(0) | Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e).context("wait for the healthcheck"),
            Ok(_) => {}
        }
        match rx.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if output.len() < OUTPUT_KEEP {
                    output.extend_from_slice(&buf[..n]);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).context("read the healthcheck's output"),
        }
    }
    if timed_out {
        let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
        let _ = child.wait();
        let mut msg = output;
        msg.extend_from_slice(format!("healthcheck timed out after {timeout:?}").as_bytes());
        return Ok(Ran {
            exit_code: -1,
            output: msg,
        });
    }
    let status = child.wait().context("wait for the healthcheck")?;
    Ok(Ran {
        exit_code: status.code().unwrap_or(-1),
        output,
    })
}

/// Run the healthcheck of `c` once and record it; returns the new state.
pub fn run(dirs: &Dirs, store: &Store, c: &Container) -> Result<HealthState> {
    let c = lifecycle::refresh(store, c)?;
    let Some(cfg) = c.config.health.clone() else {
        bail!(
            "container `{}` has no healthcheck\nhint: create it with --health-cmd, or use an image with a HEALTHCHECK",
            c.name
        );
    };
    if c.state.status != Status::Running {
        bail!(
            "container `{}` is not running\nhint: start it first with `rctl start {0}`",
            c.name
        );
    }
    let start = now();
    let ran = exec_check(dirs, &c.id, &cfg.command(), cfg.timeout)?;
    let end = now();
    let in_start_period = c
        .state
        .started_at
        .is_some_and(|s| start.saturating_sub(s) < cfg.start_period.as_nanos());
    let output =
        String::from_utf8_lossy(&ran.output[..ran.output.len().min(OUTPUT_KEEP)]).into_owned();
    let run = HealthRun {
        start,
        end,
        exit_code: ran.exit_code,
        output,
    };
    let c = store.update(&c.id, |c| {
        c.state
            .health
            .get_or_insert_with(HealthState::default)
            .record(run, cfg.retries, in_start_period);
    })?;
    Ok(c.state.health.unwrap_or_default())
}
