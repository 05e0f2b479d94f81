//! The healthcheck timer of the monitor: every interval it starts
//! `rctl healthcheck run ID` (which runs the check like `exec`, records
//! the result in the container's state and exits 0/1), one at a time;
//! when the container has turned unhealthy it carries out
//! `--health-on-failure` (kill, restart, stop). Driven from the monitor's
//! poll loop: no threads.

use std::ffi::OsString;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use nix::unistd::Pid;

use crate::container::Container;
use crate::container::policy::{HealthConfig, HealthOnFailure, HealthState, UNHEALTHY};
use crate::container::store::Store;

/// The command that runs one check: rctl itself with the global options
/// the monitor was started with (`--root`, `--runroot`, …).
fn check_command(id: &str) -> Option<(std::path::PathBuf, Vec<OsString>)> {
    let exe = std::fs::read_link("/proc/self/exe").ok()?;
    let mut args: Vec<OsString> = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "container-monitor")
        .collect();
    args.extend(["healthcheck", "run", id].map(OsString::from));
    Some((exe, args))
}

/// How long past its timeout a check may take before the monitor kills it.
const HANG_GRACE: Duration = Duration::from_secs(30);

pub struct Timer {
    id: String,
    cfg: HealthConfig,
    on_failure: HealthOnFailure,
    stop_signal: Signal,
    stop_timeout: Duration,
    command: (std::path::PathBuf, Vec<OsString>),
    next: Instant,
    /// The check running now, and when it is killed if it hangs (its own
    /// timeout failed to end it).
    running: Option<(Pid, Instant)>,
    /// `--health-on-failure` was carried out: no more checks.
    acted: bool,
    /// SIGKILL at this time (after the stop signal of `stop`).
    kill_at: Option<Instant>,
}

impl Timer {
    /// A timer for container `c` (none without a healthcheck or with the
    /// interval disabled); resets its health to `starting`.
    pub fn new(store: &Store, c: &Container) -> Option<Timer> {
        let cfg = c.config.health.clone()?;
        // A new start begins `starting`; the log of earlier runs is kept.
        let _ = store.update(&c.id, |c| {
            let log = c.state.health.take().map(|h| h.log).unwrap_or_default();
            c.state.health = Some(HealthState {
                log,
                ..HealthState::default()
            });
        });
        if cfg.interval.is_zero() {
            return None;
        }
        let stop_signal = c
            .config
            .stop_signal
            .as_deref()
            .or(c.config.image.stop_signal.as_deref())
            .and_then(|s| crate::container::lifecycle::parse_signal(s).ok())
            .unwrap_or(Signal::SIGTERM);
        Some(Timer {
            id: c.id.clone(),
            on_failure: c.config.health_on_failure,
            stop_signal,
            stop_timeout: Duration::from_secs(c.config.stop_timeout.into()),
            command: check_command(&c.id)?,
            next: Instant::now() + cfg.interval,
            cfg,
            running: None,
            acted: false,
            kill_at: None,
        })
    }

    /// How long the poll loop may sleep before [`Timer::tick`] has work.
    pub fn due_in(&self) -> Duration {
        let now = Instant::now();
        let mut at = match self.running {
            Some((_, hung)) => hung,
            None if self.acted => now + Duration::from_secs(3600),
            None => self.next,
        };
        if let Some(k) = self.kill_at {
            at = at.min(k);
        }
        at.saturating_duration_since(now)
    }

    /// A child other than the container's init exited: maybe our check.
    pub fn reaped(&mut self, store: &Store, pid: Pid, init: Pid) {
        if self.running.map(|(p, _)| p) != Some(pid) {
            return;
        }
        self.running = None;
        self.next = Instant::now() + self.cfg.interval;
        let unhealthy = store.load(&self.id).ok().is_some_and(|c| {
            c.state
                .health
                .as_ref()
                .is_some_and(|h| h.status == UNHEALTHY)
        });
        if unhealthy && self.on_failure != HealthOnFailure::None {
            self.act(store, init);
        }
    }

    fn act(&mut self, store: &Store, init: Pid) {
        self.acted = true;
        ::log::info!("container {} is unhealthy: {:?}", self.id, self.on_failure);
        match self.on_failure {
            HealthOnFailure::None => {}
            HealthOnFailure::Kill | HealthOnFailure::Restart => {
                let _ = nix::sys::signal::kill(init, Signal::SIGKILL);
            }
            HealthOnFailure::Stop => {
                let _ = store.update(&self.id, |c| c.state.stopped_by_user = true);
                let _ = nix::sys::signal::kill(init, self.stop_signal);
                self.kill_at = Some(Instant::now() + self.stop_timeout);
            }
        }
    }

    /// Start a check when one is due; SIGKILL a container `stop` did not end.
    pub fn tick(&mut self, init: Pid) {
        let now = Instant::now();
        if self.kill_at.is_some_and(|k| now >= k) {
            self.kill_at = None;
            let _ = nix::sys::signal::kill(init, Signal::SIGKILL);
        }
        if let Some((pid, hung)) = self.running {
            if now >= hung {
                ::log::warn!("healthcheck of container {} hangs: killing it", self.id);
                let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
                self.running = Some((pid, now + HANG_GRACE));
            }
            return;
        }
        if self.acted || now < self.next {
            return;
        }
        let (exe, args) = &self.command;
        match std::process::Command::new(exe)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
        {
            // Reaped by the monitor's loop (it is our child); the Child
            // handle is only dropped.
            Ok(child) => {
                let pid = Pid::from_raw(child.id() as i32);
                self.running = Some((pid, now + self.cfg.timeout + HANG_GRACE));
            }
            Err(e) => {
                ::log::warn!("run the healthcheck of container {}: {e}", self.id);
                self.next = now + self.cfg.interval;
            }
        }
    }
}

/// The healthcheck timer of a monitor, if the container has one, with the
/// store it records to: what the poll loop calls.
pub struct Duty<'a> {
    store: &'a Store,
    timer: Option<Timer>,
}

impl<'a> Duty<'a> {
    pub fn new(store: &'a Store, c: &Container) -> Duty<'a> {
        Duty {
            store,
            timer: Timer::new(store, c),
        }
    }

    /// The longest the loop may sleep, at most `max`.
    pub fn timeout(&self, max: Duration) -> Duration {
        self.timer.as_ref().map_or(max, |t| t.due_in().min(max))
    }

    pub fn reaped(&mut self, pid: Pid, init: Pid) {
        if let Some(t) = &mut self.timer {
            t.reaped(self.store, pid, init);
        }
    }

    pub fn tick(&mut self, init: Pid) {
        if let Some(t) = &mut self.timer {
            t.tick(init);
        }
    }
}
