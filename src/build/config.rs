//! What each instruction does to the image config (Env, Cmd, Entrypoint,
//! WorkingDir, User, ExposedPorts, Labels, Volumes, Healthcheck,
//! StopSignal, Shell, OnBuild), as Docker's builder does it. Pure: the
//! executor starts from the base image's values, applies each resolved
//! instruction, and maps the result onto the OCI image config.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::instruction::*;

/// The default SHELL on Linux.
pub fn default_shell() -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into()]
}

/// The config fields a Containerfile can set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageConfig {
    pub env: Vec<(String, String)>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// Empty when unset.
    pub working_dir: String,
    pub user: String,
    /// `PORT/PROTO`, ranges expanded (`8000-8001` → `8000/tcp`, `8001/tcp`).
    pub exposed_ports: BTreeSet<String>,
    pub labels: BTreeMap<String, String>,
    pub volumes: BTreeSet<String>,
    pub healthcheck: Option<HealthConfig>,
    pub stop_signal: Option<String>,
    pub shell: Vec<String>,
    /// ONBUILD triggers as written, in order.
    pub on_build: Vec<String>,
    pub author: Option<String>,
    /// Whether CMD was set in this stage (an ENTRYPOINT clears an inherited
    /// CMD but not one set in the same stage).
    pub cmd_set: bool,
}

impl Default for StageConfig {
    fn default() -> Self {
        StageConfig {
            env: Vec::new(),
            cmd: None,
            entrypoint: None,
            working_dir: String::new(),
            user: String::new(),
            exposed_ports: BTreeSet::new(),
            labels: BTreeMap::new(),
            volumes: BTreeSet::new(),
            healthcheck: None,
            stop_signal: None,
            shell: default_shell(),
            on_build: Vec::new(),
            author: None,
            cmd_set: false,
        }
    }
}

/// The image config's Healthcheck. Durations not given are zero (the
/// runtime's defaults apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthConfig {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`.
    pub test: Vec<String>,
    pub interval: Duration,
    pub timeout: Duration,
    pub start_period: Duration,
    pub start_interval: Duration,
    pub retries: u32,
}

impl StageConfig {
    /// The config a stage starts from: the base image's fields (the
    /// executor fills them) with `cmd_set` cleared.
    pub fn inherit(base: &StageConfig) -> StageConfig {
        StageConfig {
            cmd_set: false,
            ..base.clone()
        }
    }

    /// The argv of a RUN, CMD or ENTRYPOINT command: exec form as is,
    /// shell form as the SHELL plus the text.
    pub fn argv(&self, command: &Command) -> Vec<String> {
        match command {
            Command::Exec(args) => args.clone(),
            Command::Shell(text) => {
                let mut argv = self.shell.clone();
                argv.push(text.clone());
                argv
            }
        }
    }

    /// Apply an instruction after substitution (`Scope::resolve`).
    pub fn apply(&mut self, instruction: &Instruction) {
        match instruction {
            Instruction::Env(pairs) => {
                for p in pairs {
                    match self.env.iter_mut().find(|(k, _)| *k == p.key) {
                        Some(slot) => slot.1 = p.value.clone(),
                        None => self.env.push((p.key.clone(), p.value.clone())),
                    }
                }
            }
            Instruction::Cmd(c) => {
                self.cmd = Some(self.argv(c));
                self.cmd_set = true;
            }
            Instruction::Entrypoint(c) => {
                self.entrypoint = Some(self.argv(c));
                if !self.cmd_set {
                    self.cmd = None;
                }
            }
            Instruction::Workdir(dir) => self.working_dir = workdir(&self.working_dir, dir),
            Instruction::User(u) => self.user = u.clone(),
            Instruction::Expose(ports) => {
                for p in ports {
                    self.exposed_ports.extend(expand_port(p));
                }
            }
            Instruction::Label(pairs) => {
                for p in pairs {
                    self.labels.insert(p.key.clone(), p.value.clone());
                }
            }
            Instruction::Maintainer(name) => {
                self.author = Some(name.clone());
                self.labels.insert("maintainer".into(), name.clone());
            }
            Instruction::Volume(list) => self.volumes.extend(list.iter().cloned()),
            Instruction::Healthcheck(Healthcheck::None) => {
                self.healthcheck = Some(HealthConfig {
                    test: vec!["NONE".into()],
                    interval: Duration::ZERO,
                    timeout: Duration::ZERO,
                    start_period: Duration::ZERO,
                    start_interval: Duration::ZERO,
                    retries: 0,
                })
            }
            Instruction::Healthcheck(Healthcheck::Check(c)) => {
                self.healthcheck = Some(HealthConfig {
                    test: c.test(),
                    interval: c.interval.unwrap_or_default(),
                    timeout: c.timeout.unwrap_or_default(),
                    start_period: c.start_period.unwrap_or_default(),
                    start_interval: c.start_interval.unwrap_or_default(),
                    retries: c.retries.unwrap_or(0),
                })
            }
            Instruction::StopSignal(s) => self.stop_signal = Some(s.clone()),
            Instruction::Shell(s) => self.shell = s.clone(),
            Instruction::Onbuild(o) => self.on_build.push(o.text.clone()),
            Instruction::From(_)
            | Instruction::Run(_)
            | Instruction::Copy(_)
            | Instruction::Add(_)
            | Instruction::Arg(_) => {}
        }
    }
}

/// WORKDIR: an absolute path replaces, a relative one joins the current
/// directory (`/` when unset), cleaned.
fn workdir(current: &str, dir: &str) -> String {
    if dir.starts_with('/') {
        return dir.to_string();
    }
    let base = if current.is_empty() { "/" } else { current };
    let mut parts: Vec<&str> = Vec::new();
    for seg in base.split('/').chain(dir.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `80` → `80/tcp`; `8000-8002/udp` → each port. A port already checked
/// by `Scope::resolve`.
fn expand_port(spec: &str) -> Vec<String> {
    let (range, proto) = match spec.split_once('/') {
        Some((r, p)) => (r, p.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    let (lo, hi) = match range.split_once('-') {
        Some((a, b)) => (a.parse::<u32>(), b.parse::<u32>()),
        None => (range.parse::<u32>(), range.parse::<u32>()),
    };
    match (lo, hi) {
        (Ok(lo), Ok(hi)) if lo <= hi => (lo..=hi).map(|p| format!("{p}/{proto}")).collect(),
        _ => vec![format!("{range}/{proto}")],
    }
}

#[cfg(test)]
mod tests;
