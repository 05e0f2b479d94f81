//! What the monitor does on its own: the restart policy (`--restart`) with
//! its back-off, and the healthcheck (`HEALTHCHECK`, `--health-*`) with
//! the state it keeps. Parsing and decisions only (pure); the monitor's
//! `restart` and `health` modules carry them out.

use std::time::Duration;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// `--restart`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    #[default]
    No,
    /// Restart after a non-zero exit, at most N times when given.
    OnFailure(Option<u32>),
    Always,
    UnlessStopped,
}

impl RestartPolicy {
    pub fn parse(s: &str) -> Result<RestartPolicy> {
        let bad = || {
            anyhow::anyhow!(
                "invalid --restart `{s}`\nhint: use no, on-failure[:N], always or unless-stopped"
            )
        };
        Ok(match s.split_once(':') {
            None => match s {
                "" | "no" => RestartPolicy::No,
                "on-failure" => RestartPolicy::OnFailure(None),
                "always" => RestartPolicy::Always,
                "unless-stopped" => RestartPolicy::UnlessStopped,
                _ => return Err(bad()),
            },
            Some(("on-failure", n)) => {
                RestartPolicy::OnFailure(Some(n.parse().map_err(|_| bad())?))
            }
            Some(_) => return Err(bad()),
        })
    }

    /// As Docker and Podman show it (`HostConfig.RestartPolicy`).
    pub fn name(self) -> &'static str {
        match self {
            RestartPolicy::No => "no",
            RestartPolicy::OnFailure(_) => "on-failure",
            RestartPolicy::Always => "always",
            RestartPolicy::UnlessStopped => "unless-stopped",
        }
    }

    pub fn max_retries(self) -> u32 {
        match self {
            RestartPolicy::OnFailure(Some(n)) => n,
            _ => 0,
        }
    }
}

/// Whether the monitor starts the container again after it exited with
/// `code`: not after `rctl stop` (or `--health-on-failure=stop`), and
/// `on-failure:N` only N times. A healthcheck that asks for a restart
/// restarts whatever the policy.
pub fn should_restart(
    policy: RestartPolicy,
    code: i32,
    restarts: u32,
    stopped: bool,
    health_restart: bool,
) -> bool {
    if stopped {
        return false;
    }
    if health_restart {
        return true;
    }
    match policy {
        RestartPolicy::No => false,
        RestartPolicy::OnFailure(max) => code != 0 && max.is_none_or(|m| restarts < m),
        RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
    }
}

/// The wait before restart number `n` (0-based): 100 ms doubling, at most
/// 30 s; a container that ran for 10 s or more starts over at 100 ms.
pub fn backoff(n: u32, ran: Duration) -> Duration {
    if ran >= Duration::from_secs(10) {
        return Duration::from_millis(100);
    }
    Duration::from_millis(100u64.saturating_mul(1u64 << n.min(20))).min(Duration::from_secs(30))
}

/// `--health-on-failure`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum HealthOnFailure {
    #[default]
    None,
    /// SIGKILL (the restart policy still applies).
    Kill,
    /// SIGKILL and start again.
    Restart,
    /// Stop for good (as `rctl stop`).
    Stop,
}

/// A healthcheck as stored with the container (Docker's image-config
/// shape: `Test` is `["CMD", args…]` or `["CMD-SHELL", line]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthConfig {
    pub test: Vec<String>,
    /// Zero: no timer (only `rctl healthcheck run`).
    pub interval: Duration,
    pub timeout: Duration,
    pub start_period: Duration,
    pub retries: u32,
}

pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_RETRIES: u32 = 3;

impl HealthConfig {
    /// The command run in the container.
    pub fn command(&self) -> Vec<String> {
        match self.test.split_first() {
            Some((k, rest)) if k == "CMD-SHELL" => {
                vec!["/bin/sh".into(), "-c".into(), rest.join(" ")]
            }
            Some((k, rest)) if k == "CMD" => rest.to_vec(),
            _ => self.test.clone(),
        }
    }

    /// From the image config's `Healthcheck` object (durations in ns;
    /// zero means the default); `None` for none or `["NONE"]`.
    pub fn from_image(v: &serde_json::Value) -> Option<HealthConfig> {
        let test: Vec<String> = v
            .get("Test")?
            .as_array()?
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        if test.is_empty() || test[0] == "NONE" || test.len() < 2 {
            return None;
        }
        let dur = |k: &str, d: Duration| match v.get(k).and_then(|x| x.as_u64()) {
            Some(n) if n > 0 => Duration::from_nanos(n),
            _ => d,
        };
        Some(HealthConfig {
            test,
            interval: dur("Interval", DEFAULT_INTERVAL),
            timeout: dur("Timeout", DEFAULT_TIMEOUT),
            start_period: dur("StartPeriod", Duration::ZERO),
            retries: match v.get("Retries").and_then(|x| x.as_u64()) {
                Some(n) if n > 0 => n as u32,
                _ => DEFAULT_RETRIES,
            },
        })
    }
}

/// The `--health-*` flags as typed.
#[derive(Debug, Clone, Default)]
pub struct HealthFlags {
    pub cmd: Option<String>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub retries: Option<u32>,
    pub start_period: Option<String>,
    pub none: bool,
}

fn duration(flag: &str, s: &str, zero_ok: bool) -> Result<Duration> {
    if zero_ok && (s == "disable" || s == "0") {
        return Ok(Duration::ZERO);
    }
    match humantime::parse_duration(s) {
        Ok(d) if zero_ok || !d.is_zero() => Ok(d),
        _ => bail!(
            "invalid --{flag} `{s}`\nhint: give a duration such as 500ms, 30s or 1m{}",
            if zero_ok { " (or `disable`)" } else { "" }
        ),
    }
}

/// The container's healthcheck: the image's, changed or replaced by the
/// flags, or none (`--no-healthcheck`, `--health-cmd none`).
pub fn health_config(
    image: Option<&HealthConfig>,
    f: &HealthFlags,
) -> Result<Option<HealthConfig>> {
    let tuned = f.interval.is_some()
        || f.timeout.is_some()
        || f.retries.is_some()
        || f.start_period.is_some();
    if f.none || f.cmd.as_deref() == Some("none") {
        if f.cmd.as_deref().is_some_and(|c| c != "none") || tuned {
            bail!(
                "--no-healthcheck conflicts with the other --health-* options\nhint: drop one of them"
            );
        }
        return Ok(None);
    }
    let test = match f.cmd.as_deref() {
        Some(c) if c.trim().is_empty() => {
            bail!("--health-cmd is empty\nhint: give a command such as `curl -f http://localhost/`")
        }
        Some(c) if c.trim_start().starts_with('[') => {
            let v: Vec<String> = serde_json::from_str(c)
                .map_err(|e| anyhow::anyhow!("parse --health-cmd `{c}` as a JSON array: {e}"))?;
            match v.first().map(String::as_str) {
                Some("CMD" | "CMD-SHELL") if v.len() > 1 => v,
                Some(_) => std::iter::once("CMD".to_string()).chain(v).collect(),
                None => bail!("--health-cmd `{c}` is an empty array"),
            }
        }
        Some(c) => vec!["CMD-SHELL".into(), c.into()],
        None => match image {
            Some(h) => h.test.clone(),
            None if tuned => bail!(
                "--health-* options need a healthcheck\nhint: add --health-cmd (the image has no HEALTHCHECK)"
            ),
            None => return Ok(None),
        },
    };
    let base = image.filter(|_| f.cmd.is_none());
    let retries = f
        .retries
        .or(base.map(|h| h.retries))
        .unwrap_or(DEFAULT_RETRIES);
    if retries == 0 {
        bail!("invalid --health-retries `0`\nhint: give at least 1");
    }
    let pick = |flag: &str, v: &Option<String>, img: Option<Duration>, d: Duration, z: bool| {
        v.as_deref()
            .map(|s| duration(flag, s, z))
            .transpose()
            .map(|x| x.or(img).unwrap_or(d))
    };
    Ok(Some(HealthConfig {
        test,
        interval: pick(
            "health-interval",
            &f.interval,
            base.map(|h| h.interval),
            DEFAULT_INTERVAL,
            true,
        )?,
        timeout: pick(
            "health-timeout",
            &f.timeout,
            base.map(|h| h.timeout),
            DEFAULT_TIMEOUT,
            false,
        )?,
        start_period: pick(
            "health-start-period",
            &f.start_period,
            base.map(|h| h.start_period),
            Duration::ZERO,
            true,
        )?,
        retries,
    }))
}

/// Health status names (Docker's).
pub const STARTING: &str = "starting";
pub const HEALTHY: &str = "healthy";
pub const UNHEALTHY: &str = "unhealthy";

/// Runs kept in the health log.
pub const LOG_KEEP: usize = 5;
/// Output kept of one run.
pub const OUTPUT_KEEP: usize = 4096;

/// One healthcheck run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthRun {
    /// Unix nanoseconds.
    pub start: u128,
    pub end: u128,
    pub exit_code: i32,
    pub output: String,
}

/// The health part of a container's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthState {
    pub status: String,
    pub failing_streak: u32,
    pub log: Vec<HealthRun>,
}

impl Default for HealthState {
    fn default() -> Self {
        HealthState {
            status: STARTING.into(),
            failing_streak: 0,
            log: Vec::new(),
        }
    }
}

impl HealthState {
    /// Take one run into account; `in_start_period` failures do not count.
    pub fn record(&mut self, run: HealthRun, retries: u32, in_start_period: bool) {
        if run.exit_code == 0 {
            self.status = HEALTHY.into();
            self.failing_streak = 0;
        } else if !in_start_period {
            self.failing_streak += 1;
            if self.failing_streak >= retries {
                self.status = UNHEALTHY.into();
            }
        }
        self.log.push(run);
        if self.log.len() > LOG_KEEP {
            self.log.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policies() {
        assert_eq!(RestartPolicy::parse("no").unwrap(), RestartPolicy::No);
        assert_eq!(
            RestartPolicy::parse("on-failure:3").unwrap(),
            RestartPolicy::OnFailure(Some(3))
        );
        assert_eq!(
            RestartPolicy::parse("on-failure").unwrap(),
            RestartPolicy::OnFailure(None)
        );
        for bad in ["sometimes", "on-failure:x", "always:3", "on-failure:-1"] {
            assert!(RestartPolicy::parse(bad).is_err(), "{bad}");
        }
        let p = RestartPolicy::OnFailure(Some(3));
        assert!(should_restart(p, 1, 2, false, false));
        assert!(!should_restart(p, 1, 3, false, false));
        assert!(!should_restart(p, 0, 0, false, false));
        assert!(should_restart(RestartPolicy::Always, 0, 99, false, false));
        assert!(!should_restart(RestartPolicy::Always, 0, 0, true, false));
        assert!(should_restart(RestartPolicy::No, 137, 0, false, true));
        assert!(!should_restart(RestartPolicy::No, 137, 0, true, true));
        assert!(!should_restart(RestartPolicy::No, 1, 0, false, false));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let quick = Duration::from_millis(5);
        assert_eq!(backoff(0, quick), Duration::from_millis(100));
        assert_eq!(backoff(3, quick), Duration::from_millis(800));
        assert_eq!(backoff(40, quick), Duration::from_secs(30));
        assert_eq!(
            backoff(9, Duration::from_secs(60)),
            Duration::from_millis(100)
        );
    }

    #[test]
    fn health_from_flags_and_image() {
        let img = HealthConfig::from_image(&serde_json::json!({
            "Test": ["CMD-SHELL", "check"], "Interval": 5_000_000_000u64, "Retries": 2
        }))
        .unwrap();
        assert_eq!(img.interval, Duration::from_secs(5));
        assert_eq!(img.timeout, DEFAULT_TIMEOUT);
        assert_eq!(img.command(), vec!["/bin/sh", "-c", "check"]);
        assert!(HealthConfig::from_image(&serde_json::json!({"Test": ["NONE"]})).is_none());

        let f = HealthFlags {
            interval: Some("1s".into()),
            ..Default::default()
        };
        let h = health_config(Some(&img), &f).unwrap().unwrap();
        assert_eq!((h.interval, h.retries), (Duration::from_secs(1), 2));
        let f = HealthFlags {
            cmd: Some(r#"["/bin/check","-q"]"#.into()),
            ..Default::default()
        };
        let h = health_config(Some(&img), &f).unwrap().unwrap();
        assert_eq!(h.command(), vec!["/bin/check", "-q"]);
        assert_eq!(h.retries, DEFAULT_RETRIES);
        let none = HealthFlags {
            none: true,
            ..Default::default()
        };
        assert!(health_config(Some(&img), &none).unwrap().is_none());
        assert!(
            health_config(None, &HealthFlags::default())
                .unwrap()
                .is_none()
        );
        for bad in [
            HealthFlags {
                interval: Some("1s".into()),
                ..Default::default()
            },
            HealthFlags {
                cmd: Some("true".into()),
                timeout: Some("soon".into()),
                ..Default::default()
            },
            HealthFlags {
                cmd: Some("true".into()),
                retries: Some(0),
                ..Default::default()
            },
            HealthFlags {
                cmd: Some("true".into()),
                none: true,
                ..Default::default()
            },
        ] {
            assert!(health_config(None, &bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn health_state_turns_unhealthy_after_retries() {
        let run = |code| HealthRun {
            start: 0,
            end: 0,
            exit_code: code,
            output: String::new(),
        };
        let mut s = HealthState::default();
        s.record(run(1), 2, true);
        assert_eq!((s.status.as_str(), s.failing_streak), (STARTING, 0));
        s.record(run(1), 2, false);
        assert_eq!(s.status, STARTING);
        s.record(run(1), 2, false);
        assert_eq!((s.status.as_str(), s.failing_streak), (UNHEALTHY, 2));
        s.record(run(0), 2, false);
        assert_eq!((s.status.as_str(), s.failing_streak), (HEALTHY, 0));
        for _ in 0..10 {
            s.record(run(0), 2, false);
        }
        assert_eq!(s.log.len(), LOG_KEEP);
    }
}
