//! `exec` requests: the container's own process settings with the
//! caller's overrides, the user resolved inside the running container's
//! root, then the runtime joins its namespaces.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{Spec, UserBuilder};

use super::store::Store;
use super::{Container, Status, lifecycle};
use crate::runtime::exec_io::ExecIo;
use crate::runtime::{confined, exec, user};

/// What the caller asked for.
pub struct ExecRequest {
    pub command: Vec<String>,
    pub env: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub detach: bool,
    pub interactive: bool,
    pub tty: bool,
}

/// Run the request in the container; returns the exit code.
pub fn run(store: &Store, c: &Container, req: ExecRequest) -> Result<exec::Outcome> {
    let c = lifecycle::refresh(store, c)?;
    if c.state.status != Status::Running {
        bail!(
            "container `{}` is not running\nhint: start it first with `rctl start {0}`",
            c.name
        );
    }
    let pid = c.state.pid.context("running container without pid")?;
    // Into the container's cgroup first: the process counts against its
    // limits and is listed in its cgroup.
    if let (Some(plan), Some(cg)) = (&c.config.cgroup, &c.state.cgroup) {
        if let Err(e) = crate::cgroup::join_running(plan, cg, &c.id) {
            ::log::warn!(
                "{e:#}: the process runs outside the cgroup of container {} (its limits do not apply to it)",
                c.name
            );
        }
    }
    let path = lifecycle::spec_path(store, &c.id);
    let spec: Spec = serde_json::from_slice(&fs_err::read(&path)?)
        .with_context(|| format!("parse `{}`", path.display()))?;
    let mut process = spec.process().clone().context("the spec has no process")?;
    process.set_args(Some(req.command));
    let mut env = process.env().clone().unwrap_or_default();
    for e in req.env {
        let key = e.split('=').next().unwrap_or(&e).to_string();
        env.retain(|x| x.split('=').next() != Some(key.as_str()));
        env.push(e);
    }
    process.set_env(Some(env));
    if let Some(w) = req.workdir {
        if !w.starts_with('/') {
            bail!("working directory `{w}` is not an absolute path");
        }
        process.set_cwd(PathBuf::from(w));
    }
    if let Some(u) = req.user {
        let root = PathBuf::from(format!("/proc/{pid}/root"));
        let passwd = confined::read_file(&root, Path::new("/etc/passwd"))?.unwrap_or_default();
        let group = confined::read_file(&root, Path::new("/etc/group"))?.unwrap_or_default();
        let r = user::resolve(&u, &passwd, &group)?;
        process.set_user(
            UserBuilder::default()
                .uid(r.uid)
                .gid(r.gid)
                .additional_gids(r.additional_gids)
                .build()?,
        );
        if r.uid != 0 {
            let mut caps = process.capabilities().clone().unwrap_or_default();
            caps.set_effective(Some(Default::default()));
            caps.set_permitted(Some(Default::default()));
            process.set_capabilities(Some(caps));
        }
    }
    let profile = spec.linux().as_ref().and_then(|l| l.seccomp().clone());
    let io = if req.detach {
        ExecIo::Detached
    } else if req.tty {
        ExecIo::Terminal {
            stdin: req.interactive,
        }
    } else {
        ExecIo::Pipes {
            stdin: req.interactive,
        }
    };
    process.set_terminal(Some(req.tty));
    exec::run(pid, &process, profile.as_ref(), io)
}
