//! Containers as records: identity, configuration, state, and the per-user
//! store that keeps them (`ROOT/containers/<id>/`), plus the lifecycle
//! operations built on the runtime and the monitor.

use serde::{Deserialize, Serialize};

use crate::runtime::ContainerConfig;

pub mod attach;
pub mod changes;
pub mod copy;
pub mod exec;
pub mod export;
pub mod files;
pub mod health;
pub mod lifecycle;
pub mod logconfig;
pub mod logs;
pub mod policy;
pub mod query;
pub mod request;
pub mod store;
pub mod top;
pub mod vfs;

/// Where a container is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Created,
    Running,
    Exited,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Exited => "exited",
        }
    }
}

/// The mutable part of a container record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    /// Host pid of the container's init and its start time (pid reuse).
    pub pid: Option<i32>,
    pub pid_start: Option<u64>,
    pub monitor_pid: Option<i32>,
    pub exit_code: Option<i32>,
    /// Unix time in nanoseconds.
    pub started_at: Option<u128>,
    pub finished_at: Option<u128>,
    /// The network helper and the published ports (host ports chosen)
    /// while the container runs.
    #[serde(default)]
    pub network: Option<crate::network::NetworkHandle>,
    // --- cgroups ---
    /// The container's cgroup while it runs (relative to /sys/fs/cgroup).
    #[serde(default)]
    pub cgroup: Option<String>,
    /// The kernel OOM-killed a process of the container in its last run.
    #[serde(default)]
    pub oom_killed: bool,
    // --- logs, healthchecks, restart ---
    /// Restarts done by the monitor since the last `rctl start`.
    #[serde(default)]
    pub restart_count: u32,
    /// Stopped by `rctl stop` (or a healthcheck's `stop`): the restart
    /// policy no longer applies until the next `rctl start`.
    #[serde(default)]
    pub stopped_by_user: bool,
    /// The healthcheck's status while it has one.
    #[serde(default)]
    pub health: Option<policy::HealthState>,
    /// The `rctl create`/`run` process (pid, start time) that made this
    /// record, until it is done with it: a record whose creator died first
    /// is the leftover of an interrupted command (`rctl system check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creating: Option<(i32, u64)>,
}

/// One container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    pub name: String,
    /// Unix time in nanoseconds.
    pub created: u128,
    pub config: ContainerConfig,
    pub state: State,
}

impl Container {
    pub fn short_id(&self) -> &str {
        &self.id[..12.min(self.id.len())]
    }
}

/// Now, as Unix nanoseconds.
pub fn now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// RFC 3339 with nanoseconds, UTC.
pub fn rfc3339(nanos: u128) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos as u64);
    humantime::format_rfc3339_nanos(t).to_string()
}

/// "5 seconds", "3 minutes"... as Podman prints durations.
pub fn human_duration(nanos: u128) -> String {
    let s = (nanos / 1_000_000_000) as u64;
    match s {
        0 => "Less than a second".into(),
        1 => "1 second".into(),
        2..=59 => format!("{s} seconds"),
        60..=119 => "About a minute".into(),
        120..=3599 => format!("{} minutes", s / 60),
        3600..=7199 => "About an hour".into(),
        7200..=172_799 => format!("{} hours", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}
