//! Pods: groups of containers that share one network, IPC and UTS
//! namespace (they talk over 127.0.0.1 and see one hostname), held by a
//! minimal infra process (`rctl pod-infra ID`, see [`infra`]) to which the
//! pod's network helper (pasta or slirp4netns) is attached. Ports are
//! published on the pod.
//!
//! Records live in `ROOT/pods/<id>/pod.json` (written atomically, updated
//! under the pod's flock); pod names are unique among pods (as in Podman,
//! a pod and a container may share a name). A container joins a pod
//! through its create request (`CreateArgs::pod`, `--pod NAME` or
//! `--pod new:NAME`); its network plan then has the mode
//! [`NetworkMode::Pod`], and at start its spec names the infra's
//! namespaces by path (`/proc/PID/ns/{net,ipc,uts}`), which the monitor
//! joins before it forks the container.
//!
//! API used by commands (and `kube play`):
//! `create(app, PodSpec) -> Pod`, `lookup(app, key)`, `list(app)`,
//! `start(app, &Pod)`, `stop(app, &Pod, timeout)`, `remove(app, &Pod, force)`,
//! `members(app, &Pod)`, `status(&Pod)`.

use std::io::{BufRead, Read};
use std::os::fd::{AsFd, AsRawFd};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::container::store::Store;
use crate::container::{Container, Status};
use crate::network::{NetworkHandle, NetworkMode, NetworkPlan, NetworkRequest};
use crate::ondisk;

pub mod infra;

/// What a pod is created from (`rctl pod create` flags, or `kube play`).
#[derive(Debug, Clone, Default)]
pub struct PodSpec {
    pub name: Option<String>,
    /// `--network`, `-p`, `--dns*`, `--add-host` of the pod.
    pub net: NetworkRequest,
    /// The hostname of every member (default: the pod's name).
    pub hostname: Option<String>,
    /// `--label KEY=VALUE`, kept for `inspect` and `ls` (and `kube`).
    pub labels: Vec<(String, String)>,
}

/// The mutable part of a pod record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodState {
    /// The infra process (host pid) and its start time (pid reuse).
    pub infra_pid: Option<i32>,
    pub infra_start: Option<u64>,
    /// The network helper and the published ports while the infra runs.
    pub network: Option<NetworkHandle>,
    /// Unix nanoseconds of the last start; `None`: never started.
    pub started_at: Option<u128>,
}

/// One pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pod {
    pub id: String,
    pub name: String,
    /// Unix time in nanoseconds.
    pub created: u128,
    pub hostname: String,
    /// The pod's network (mode, published ports, DNS); members share it.
    pub net: NetworkPlan,
    #[serde(default)]
    pub labels: Vec<(String, String)>,
    pub state: PodState,
}

impl Pod {
    pub fn short_id(&self) -> &str {
        &self.id[..12.min(self.id.len())]
    }

    /// The infra process when it is alive (checked against pid reuse).
    pub fn infra_pid(&self) -> Option<i32> {
        let (pid, start) = (self.state.infra_pid?, self.state.infra_start?);
        (crate::userns::process_start_time(pid) == Some(start)).then_some(pid)
    }
}

/// How a pod is doing, as `pod ls` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodStatus {
    Created,
    Running,
    /// The infra runs but not every member does.
    Degraded,
    Exited,
}

impl PodStatus {
    pub fn name(self) -> &'static str {
        match self {
            PodStatus::Created => "Created",
            PodStatus::Running => "Running",
            PodStatus::Degraded => "Degraded",
            PodStatus::Exited => "Exited",
        }
    }
}

/// A pod's status from its infra and its members' states (pure).
pub fn status_of(pod: &Pod, infra_alive: bool, members: &[Status]) -> PodStatus {
    let running = members.iter().filter(|s| **s == Status::Running).count();
    if infra_alive {
        if running == members.len() {
            PodStatus::Running
        } else {
            PodStatus::Degraded
        }
    } else if pod.state.started_at.is_none() && running == 0 {
        PodStatus::Created
    } else {
        PodStatus::Exited
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PodLookupError {
    #[error("no pod with name or id `{0}`\nhint: list pods with `rctl pod ls`")]
    NotFound(String),
    #[error(
        "`{0}` matches more than one pod id: {1}\nhint: give more characters of the id, or the name"
    )]
    Ambiguous(String, String),
}

/// The per-user pod records.
pub struct PodStore {
    dir: PathBuf,
}

/// A held lock; released on drop.
pub struct Lock(#[allow(dead_code)] Flock<std::fs::File>);

pub fn lock_file(path: &Path) -> Result<Lock> {
    let f = fs_err::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    Flock::lock(f.into_parts().0, FlockArg::LockExclusive)
        .map(Lock)
        .map_err(|(_, e)| e)
        .with_context(|| format!("lock `{}`", path.display()))
}

fn new_id() -> Result<String> {
    let mut b = [0u8; 32];
    fs_err::File::open("/dev/urandom")?
        .read_exact(&mut b)
        .context("read /dev/urandom")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

impl PodStore {
    pub fn new(root: &Path) -> PodStore {
        PodStore {
            dir: root.join("pods"),
        }
    }

    pub fn dir_of(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    fn record_path(&self, id: &str) -> PathBuf {
        self.dir_of(id).join("pod.json")
    }

    fn store_lock(&self) -> Result<Lock> {
        ondisk::create_private_dir(&self.dir)?;
        lock_file(&self.dir.join(".lock"))
    }

    /// Serialise starts and stops of one pod.
    pub fn start_lock(&self, id: &str) -> Result<Lock> {
        lock_file(&self.dir_of(id).join("start.lock"))
    }

    pub fn load(&self, id: &str) -> Result<Pod> {
        let path = self.record_path(id);
        let data = fs_err::read(&path)?;
        serde_json::from_slice(&data).with_context(|| format!("parse `{}`", path.display()))
    }

    /// Update a record under its lock.
    pub fn update(&self, id: &str, f: impl FnOnce(&mut Pod)) -> Result<Pod> {
        let _lock = lock_file(&self.dir_of(id).join("lock"))?;
        let mut p = self.load(id)?;
        f(&mut p);
        ondisk::write_atomic(&self.record_path(id), &serde_json::to_vec_pretty(&p)?)?;
        Ok(p)
    }

    /// All pods, oldest first.
    pub fn list(&self) -> Result<Vec<Pod>> {
        let entries = match fs_err::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries {
            let name = e?.file_name().to_string_lossy().into_owned();
            if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            match self.load(&name) {
                Ok(p) => out.push(p),
                Err(_) if !self.record_path(&name).exists() => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by_key(|p| p.created);
        Ok(out)
    }

    /// By exact name, full id, or unique id prefix.
    pub fn lookup(&self, key: &str) -> Result<Pod> {
        let all = self.list()?;
        if let Some(p) = all.iter().find(|p| p.name == key || p.id == key) {
            return Ok(p.clone());
        }
        let matches: Vec<&Pod> = if key.is_empty() {
            Vec::new()
        } else {
            all.iter().filter(|p| p.id.starts_with(key)).collect()
        };
        match matches.as_slice() {
            [] => Err(PodLookupError::NotFound(key.to_string()).into()),
            [one] => Ok((*one).clone()),
            many => Err(PodLookupError::Ambiguous(
                key.to_string(),
                many.iter()
                    .map(|p| p.short_id())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into()),
        }
    }

    /// Write a new record (temporary directory renamed into place).
    fn insert(&self, name: Option<&str>, make: impl FnOnce(String, String) -> Pod) -> Result<Pod> {
        if let Some(n) = name {
            if !crate::container::store::valid_name(n) {
                bail!(
                    "invalid pod name `{n}`: use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
                );
            }
        }
        let _lock = self.store_lock()?;
        let existing = self.list()?;
        let id = new_id()?;
        let name = match name {
            Some(n) if existing.iter().any(|p| p.name == n) => bail!(
                "the pod name `{n}` is already in use\nhint: remove that pod (`rctl pod rm {n}`) or pick another --name"
            ),
            Some(n) => n.to_string(),
            None => format!("pod_{}", &id[..8]),
        };
        let pod = make(id.clone(), name);
        let tmp = self.dir.join(format!(".tmp-{id}"));
        let result = (|| -> Result<()> {
            ondisk::create_private_dir(&tmp)?;
            ondisk::write_atomic(&tmp.join("pod.json"), &serde_json::to_vec_pretty(&pod)?)?;
            fs_err::rename(&tmp, self.dir_of(&id))?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result.map(|()| pod)
    }

    fn remove_record(&self, id: &str) -> Result<()> {
        let gone = self.dir.join(format!(".rm-{id}"));
        fs_err::rename(self.dir_of(id), &gone)?;
        fs_err::remove_dir_all(&gone)?;
        Ok(())
    }
}

/// Create a pod (not started; its infra starts with `start` or with the
/// first member's start).
pub fn create(app: &App, spec: PodSpec) -> Result<Pod> {
    let plan = NetworkPlan::build(&spec.net, &crate::network::HostFacts::read(&app.helpers))?;
    for w in plan.warnings() {
        log::warn!("{w}");
    }
    if let NetworkMode::Container { .. } | NetworkMode::Named { .. } | NetworkMode::Pod { .. } =
        &plan.mode
    {
        bail!(
            "a pod cannot use --network {}\nhint: use pasta, slirp4netns, none or host",
            plan.mode.name()
        );
    }
    if let Some(h) = &spec.hostname {
        if !crate::container::store::valid_name(h) {
            bail!("invalid pod hostname `{h}`");
        }
    }
    PodStore::new(&app.dirs.root).insert(spec.name.as_deref(), |id, name| Pod {
        hostname: spec.hostname.clone().unwrap_or_else(|| name.clone()),
        id,
        name,
        created: crate::container::now(),
        net: plan,
        labels: spec.labels.clone(),
        state: PodState::default(),
    })
}

pub fn lookup(app: &App, key: &str) -> Result<Pod> {
    PodStore::new(&app.dirs.root).lookup(key)
}

pub fn list(app: &App) -> Result<Vec<Pod>> {
    PodStore::new(&app.dirs.root).list()
}

/// The containers of a pod, oldest first.
pub fn members(app: &App, pod: &Pod) -> Result<Vec<Container>> {
    members_in(&Store::new(&app.dirs.root), &pod.id)
}

fn members_in(store: &Store, pod_id: &str) -> Result<Vec<Container>> {
    Ok(store
        .list()?
        .into_iter()
        .filter(|c| pod_of(c) == Some(pod_id))
        .collect())
}

/// The pod a container belongs to.
pub fn pod_of(c: &Container) -> Option<&str> {
    match c.config.net.as_ref().map(|p| &p.mode) {
        Some(NetworkMode::Pod { id }) => Some(id),
        _ => None,
    }
}

/// The pod's status now.
pub fn status(app: &App, pod: &Pod) -> Result<PodStatus> {
    let store = Store::new(&app.dirs.root);
    let mut states = Vec::new();
    for c in members_in(&store, &pod.id)? {
        states.push(
            crate::container::lifecycle::refresh(&store, &c)?
                .state
                .status,
        );
    }
    Ok(status_of(pod, pod.infra_pid().is_some(), &states))
}

/// The network plan of a container joining `pod`: the pod's mode, its
/// addresses and name files, with the container's own `--dns*` and
/// `--add-host` (which only shape that container's files). Refuses
/// `--network` and `-p`: the pod owns the network and its ports.
pub fn member_plan(
    pod: &Pod,
    req: &NetworkRequest,
    facts: &crate::network::HostFacts,
) -> Result<NetworkPlan> {
    if req.network.is_some() || !req.publish.is_empty() {
        bail!(
            "a container in pod `{}` shares the pod's network: --network and -p are not allowed\nhint: publish ports when creating the pod (`rctl pod create -p ...`)",
            pod.name
        );
    }
    let own = NetworkPlan::build(
        &NetworkRequest {
            network: Some("none".into()),
            ..req.clone()
        },
        facts,
    )?;
    Ok(joined_plan(
        &pod.net,
        NetworkMode::Pod { id: pod.id.clone() },
        own,
    ))
}

/// A plan for a container that uses another's network namespace (`pod`
/// or `container:`): `mode`, no ports of its own, the owner's addresses
/// and DNS forwarder, its own `--dns*` (else the owner's) and the owner's
/// plus its own `--add-host` entries.
pub fn joined_plan(owner: &NetworkPlan, mode: NetworkMode, own: NetworkPlan) -> NetworkPlan {
    let dns_forward = match &owner.mode {
        NetworkMode::Slirp4netns(o) => Some(std::net::IpAddr::V4(o.dns())),
        _ => owner.dns_forward,
    };
    let mut add_hosts = owner.add_hosts.clone();
    add_hosts.extend(own.add_hosts);
    let dns = if own.dns == Default::default() {
        owner.dns.clone()
    } else {
        own.dns
    };
    NetworkPlan {
        mode,
        ports: Vec::new(),
        dns,
        add_hosts,
        host_address: owner.host_address,
        dns_forward,
        container_address: owner.container_address,
        aliases: Vec::new(),
    }
}

/// Resolve `--pod NAME|new:NAME` for a container being created.
pub fn for_new_container(app: &App, value: &str) -> Result<Pod> {
    match value.strip_prefix("new:") {
        Some(name) => create(
            app,
            PodSpec {
                name: Some(name.to_string()),
                ..Default::default()
            },
        ),
        None => lookup(app, value),
    }
}

/// Start the pod's infra process when it is not running; returns the pod
/// as recorded afterwards.
pub fn ensure_infra(app: &App, pod: &Pod) -> Result<Pod> {
    let pods = PodStore::new(&app.dirs.root);
    let _lock = pods.start_lock(&pod.id)?;
    let pod = pods.load(&pod.id)?;
    if pod.infra_pid().is_some() {
        return Ok(pod);
    }
    if let Some(h) = &pod.state.network {
        // The infra died without stopping its helper.
        let _ = h.stop();
    }
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("create a pipe")?;
    nix::fcntl::fcntl(
        tx.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
    )
    .context("pass the report pipe to the pod's infra")?;
    let exe = fs_err::read_link("/proc/self/exe")?;
    let mut child = std::process::Command::new(&exe)
        .arg("--root")
        .arg(&app.dirs.root)
        .arg("--runroot")
        .arg(&app.dirs.runroot)
        .arg("pod-infra")
        .arg(&pod.id)
        .arg("--report-fd")
        .arg(tx.as_raw_fd().to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("start the infra process `{}`", exe.display()))?;
    drop(tx);
    let mut line = String::new();
    std::io::BufReader::new(std::fs::File::from(rx))
        .read_line(&mut line)
        .context("read the infra's report")?;
    let line = line.trim_end();
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    match word {
        infra::STARTED => {
            // The infra lives on; it reparents to our subreaper when we exit.
            std::mem::forget(child);
            pods.load(&pod.id)
        }
        infra::FAILED => {
            let _ = child.wait();
            let (code, msg) = rest.split_once(' ').unwrap_or((rest, ""));
            Err(crate::error::Exit::WithMessage {
                code: code.parse().unwrap_or(crate::error::RCTL_ERROR),
                message: format!("start pod `{}`: {msg}", pod.name),
            }
            .into())
        }
        _ => {
            let status = child.wait().ok();
            bail!(
                "the infra process of pod `{}` died during start-up ({status:?})\nhint: run with --log-level debug",
                pod.name
            )
        }
    }
}

/// Start a pod: its infra, then every member not running.
pub fn start(app: &App, pod: &Pod) -> Result<Pod> {
    let pod = ensure_infra(app, pod)?;
    let store = Store::new(&app.dirs.root);
    for c in members_in(&store, &pod.id)? {
        let c = crate::container::lifecycle::refresh(&store, &c)?;
        if c.state.status != Status::Running {
            crate::container::lifecycle::start(
                app,
                &store,
                &c,
                crate::container::lifecycle::Attach::Detached,
            )?;
        }
    }
    Ok(pod)
}

/// Stop a pod: its members (stop signal, `timeout`, SIGKILL), then the
/// infra, which stops the network helper.
pub fn stop(app: &App, pod: &Pod, timeout: u32) -> Result<Pod> {
    let store = Store::new(&app.dirs.root);
    for c in members_in(&store, &pod.id)? {
        crate::container::lifecycle::stop(&store, &c, timeout)?;
    }
    stop_infra(app, pod)
}

fn stop_infra(app: &App, pod: &Pod) -> Result<Pod> {
    let pods = PodStore::new(&app.dirs.root);
    let _lock = pods.start_lock(&pod.id)?;
    let pod = pods.load(&pod.id)?;
    if let Some(pid) = pod.infra_pid() {
        if let Ok(fd) = crate::sys::pidfd_open(pid) {
            if pod.infra_pid().is_some() {
                let _ =
                    crate::sys::pidfd_send_signal(fd.as_fd(), nix::sys::signal::Signal::SIGTERM);
                let exited = crate::sys::pidfd_wait_exit(fd.as_fd(), Some(Duration::from_secs(10)));
                if !exited && pod.infra_pid().is_some() {
                    let _ = crate::sys::pidfd_send_signal(
                        fd.as_fd(),
                        nix::sys::signal::Signal::SIGKILL,
                    );
                }
            }
        }
    }
    // The infra clears its state on a clean exit; after a kill (or a
    // crash) the helper may still run.
    let pod = pods.load(&pod.id)?;
    if let Some(h) = &pod.state.network {
        let _ = h.stop();
    }
    pods.update(&pod.id, |p| {
        p.state.infra_pid = None;
        p.state.infra_start = None;
        p.state.network = None;
    })
}

/// Remove a pod and its containers. Running members only with `force`
/// (killed first); otherwise an error that changes nothing.
pub fn remove(app: &App, pod: &Pod, force: bool) -> Result<()> {
    let store = Store::new(&app.dirs.root);
    let members = members_in(&store, &pod.id)?;
    if !force {
        for c in &members {
            if crate::container::lifecycle::refresh(&store, c)?
                .state
                .status
                == Status::Running
            {
                bail!(
                    "pod `{}` has running containers (`{}`)\nhint: stop the pod first (`rctl pod stop {0}`) or use `rctl pod rm -f {0}`",
                    pod.name,
                    c.name
                );
            }
        }
    }
    for c in &members {
        crate::container::lifecycle::remove(&store, c, true)?;
    }
    let pod = stop_infra(app, pod)?;
    PodStore::new(&app.dirs.root).remove_record(&pod.id)
}

/// The infra pid whose namespaces a pod member joins at start (the caller
/// has started the infra with `ensure_infra`).
pub fn infra_for(root: &Path, pod_id: &str) -> Result<i32> {
    let pod = PodStore::new(root).load(pod_id).with_context(|| {
        format!("the container's pod ({pod_id}) is gone\nhint: remove the container")
    })?;
    pod.infra_pid().with_context(|| {
        format!(
            "pod `{}` is not running\nhint: start it with `rctl pod start {0}`",
            pod.name
        )
    })
}

/// The process whose namespaces a container joins instead of making its
/// own, and which: a pod member joins the infra's network, IPC and UTS
/// namespaces; `--network container:ID` joins that container's network
/// namespace. `None` for every other container.
pub fn namespaces_to_join(
    root: &Path,
    c: &Container,
) -> Result<Option<(i32, Vec<oci_spec::runtime::LinuxNamespaceType>)>> {
    use oci_spec::runtime::LinuxNamespaceType as T;
    match c.config.net.as_ref().map(|p| &p.mode) {
        Some(NetworkMode::Pod { id }) => {
            let pid = infra_for(root, id)?;
            // A `--network host` pod's members keep the user's network
            // namespace (their spec has none): the user's own cannot be
            // joined from rctl's user namespace.
            let host = PodStore::new(root)
                .load(id)
                .is_ok_and(|p| p.net.mode == NetworkMode::Host);
            let kinds = if host {
                vec![T::Ipc, T::Uts]
            } else {
                vec![T::Network, T::Ipc, T::Uts]
            };
            Ok(Some((pid, kinds)))
        }
        Some(NetworkMode::Container { name: id }) => {
            let store = Store::new(root);
            let owner = store.load(id).map_err(|_| {
                anyhow::anyhow!(
                    "the container whose network `{}` shares ({id}) is gone\nhint: remove `{0}` and create it again",
                    c.name
                )
            })?;
            let owner = crate::container::lifecycle::refresh(&store, &owner)?;
            match (owner.state.status, owner.state.pid) {
                (Status::Running, Some(pid)) => Ok(Some((pid, vec![T::Network]))),
                _ => bail!(
                    "container `{}`, whose network `{}` shares, is not running\nhint: start it first (`rctl start {0}`)",
                    owner.name,
                    c.name
                ),
            }
        }
        _ => Ok(None),
    }
}

/// Make `spec` join the namespaces of `pid` of the given kinds (entries
/// with a path, as in the OCI runtime spec) instead of creating them.
pub fn join_namespaces(
    mut spec: oci_spec::runtime::Spec,
    pid: i32,
    kinds: &[oci_spec::runtime::LinuxNamespaceType],
) -> Result<oci_spec::runtime::Spec> {
    use oci_spec::runtime::{LinuxNamespaceBuilder, LinuxNamespaceType as T};
    let file = |t: T| match t {
        T::Network => "net",
        T::Ipc => "ipc",
        T::Uts => "uts",
        T::Mount => "mnt",
        T::Pid => "pid",
        T::Cgroup => "cgroup",
        _ => "user",
    };
    if let Some(linux) = spec.linux_mut() {
        let mut ns = linux.namespaces().clone().unwrap_or_default();
        ns.retain(|n| !kinds.contains(&n.typ()));
        for k in kinds {
            ns.push(
                LinuxNamespaceBuilder::default()
                    .typ(*k)
                    .path(format!("/proc/{pid}/ns/{}", file(*k)))
                    .build()
                    .context("build a namespace entry")?,
            );
        }
        linux.set_namespaces(Some(ns));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Pod {
        Pod {
            id: "a".repeat(64),
            name: "p".into(),
            created: 0,
            hostname: "p".into(),
            net: NetworkPlan::build(
                &NetworkRequest {
                    network: Some("slirp4netns".into()),
                    publish: vec!["8080:80".into()],
                    add_host: vec!["db:192.0.2.7".into()],
                    ..Default::default()
                },
                &Default::default(),
            )
            .unwrap(),
            labels: Vec::new(),
            state: PodState::default(),
        }
    }

    #[test]
    fn statuses() {
        let mut p = pod();
        assert_eq!(status_of(&p, false, &[]), PodStatus::Created);
        assert_eq!(
            status_of(&p, true, &[Status::Running, Status::Running]),
            PodStatus::Running
        );
        assert_eq!(
            status_of(&p, true, &[Status::Running, Status::Exited]),
            PodStatus::Degraded
        );
        p.state.started_at = Some(1);
        assert_eq!(status_of(&p, false, &[Status::Exited]), PodStatus::Exited);
    }

    #[test]
    fn member_plans_share_the_pods_network() {
        let p = pod();
        let facts = Default::default();
        let plan = member_plan(
            &p,
            &NetworkRequest {
                add_host: vec!["cache:192.0.2.8".into()],
                ..Default::default()
            },
            &facts,
        )
        .unwrap();
        assert_eq!(plan.mode, NetworkMode::Pod { id: p.id.clone() });
        assert!(plan.ports.is_empty());
        assert!(!plan.mode.has_helper());
        assert_eq!(plan.add_hosts.len(), 2);
        assert_eq!(plan.container_address, p.net.container_address);
        // slirp4netns's forwarder (cidr + 3) is the members' resolver too.
        assert_eq!(plan.dns_forward, Some("10.0.2.3".parse().unwrap()));
        for bad in [
            NetworkRequest {
                publish: vec!["80".into()],
                ..Default::default()
            },
            NetworkRequest {
                network: Some("host".into()),
                ..Default::default()
            },
        ] {
            let e = member_plan(&p, &bad, &facts).unwrap_err().to_string();
            assert!(e.contains("pod create -p"), "{e}");
        }
    }
}
