//! Lifecycle operations on containers: create, start (through a detached
//! monitor), signal, stop, wait, remove, and the liveness check that turns
//! a container whose monitor vanished into an exited one.

use crate::events;
use std::os::fd::{AsFd, AsRawFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::Signal;

use super::store::Store;
use super::{Container, Status, files};
use crate::app::App;
use crate::crashpoint::crashpoint;
use crate::runtime::{ContainerConfig, spec};
use crate::userns;

/// The container's OCI spec file.
pub fn spec_path(store: &Store, id: &str) -> PathBuf {
    store.dir_of(id).join("config.json")
}

/// The container's default log file.
pub fn log_path(store: &Store, id: &str) -> PathBuf {
    store.dir_of(id).join("ctr.log")
}

/// The container's log file: `--log-opt path=`, else the default.
pub fn log_file(store: &Store, c: &Container) -> PathBuf {
    c.config
        .log
        .path
        .clone()
        .unwrap_or_else(|| log_path(store, &c.id))
}

/// The attach socket of a running container (short id: unix socket
/// paths are limited to 108 bytes).
pub fn attach_socket_path(runroot: &Path, id: &str) -> PathBuf {
    runroot.join("attach").join(&id[..12.min(id.len())])
}

/// Check a configuration before anything is written; gives the resolved
/// user.
pub fn validate(cfg: &ContainerConfig) -> Result<crate::runtime::user::ResolvedUser> {
    spec::process_args(cfg)?;
    spec::capability_set(cfg)?;
    if let Some(w) = &cfg.workdir {
        if !w.starts_with('/') {
            bail!(
                "working directory `{w}` is not an absolute path\nhint: give -w an absolute path such as /app"
            );
        }
    }
    match &cfg.rootfs {
        crate::runtime::RootfsSource::Dir(d) => {
            if !d.is_dir() {
                bail!(
                    "root filesystem `{}` is not a directory\nhint: give --rootfs an existing directory",
                    d.display()
                );
            }
        }
        crate::runtime::RootfsSource::Layers { lower } => {
            for l in lower {
                if !l.is_dir() {
                    bail!("image layer `{}` is missing", l.display());
                }
            }
        }
    }
    files::resolve_user(cfg)
}

/// Create a container record.
pub fn create(store: &Store, name: Option<&str>, cfg: ContainerConfig) -> Result<Container> {
    let user = validate(&cfg)?;
    let c = store.create(name, cfg)?;
    // Volumes only once the record exists: bad input creates nothing.
    let mut plan = c.config.mounts.clone();
    let made = crate::volume::create_for(store.root(), &mut plan)
        .and_then(|()| crate::volume::chown_sources(&plan, user.uid, user.gid));
    if let Err(e) = made {
        let _ = store.remove(&c.id);
        crate::volume::remove_created(store.root(), &plan);
        return Err(e);
    }
    events::created(&c);
    Ok(c)
}

/// The creating command is done with the record (see `State::creating`).
pub fn finish_creating(store: &Store, id: &str) -> Result<()> {
    store.update(id, |c| c.state.creating = None)?;
    Ok(())
}

/// Build and write the OCI spec for a start; returns its path.
pub fn write_spec(store: &Store, c: &Container) -> Result<PathBuf> {
    let user = files::resolve_user(&c.config)?;
    let host = spec::hostname(&c.config, &c.id);
    let dir = store.dir_of(&c.id);
    let generated =
        files::write_userdata(&dir.join("userdata"), &host, &c.name, c.config.net.as_ref())?;
    let mut spec = spec::build(&c.config, &c.id, &dir.join("merged"), &user, &generated)?;
    crate::network::user::exchange_hosts(store, c, &generated.hosts)?;
    if let Some((pid, kinds)) = crate::pod::namespaces_to_join(store.root(), c)? {
        spec = crate::pod::join_namespaces(spec, pid, &kinds)?;
    }
    if c.config.sdnotify == crate::units::SdNotify::Container {
        crate::units::notify_proxy::adapt_spec(&mut spec, &dir)?;
    }
    if c.config.runtime.is_some() {
        let netns_ready = c.config.net.as_ref().is_some_and(|p| {
            p.mode.has_helper() || matches!(p.mode, crate::network::NetworkMode::Named { .. })
        });
        spec = crate::runtime::oci::adapt_spec(spec, netns_ready);
    }
    let path = spec_path(store, &c.id);
    crate::ondisk::write_replace_unsynced(&path, &serde_json::to_vec_pretty(&spec)?)?;
    Ok(path)
}

/// How the caller stays connected to a started container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    /// Return once it runs.
    Detached,
    /// Our stdin/stdout/stderr are the container's (through the monitor);
    /// wait for its exit. `run -a` picks the output streams shown; the
    /// others still go to the log.
    Attached { stdout: bool, stderr: bool },
}

impl Attach {
    /// Attached to both output streams.
    pub const ALL: Attach = Attach::Attached {
        stdout: true,
        stderr: true,
    };
}

/// What a start ended with.
pub enum Started {
    Running { pid: i32 },
    Exited { code: u8 },
}

/// Lines the monitor writes on the report pipe.
pub mod report {
    pub const STARTED: &str = "started";
    pub const FAILED: &str = "failed";
    pub const EXITED: &str = "exited";
}

/// Start a created or exited container under a new monitor.
pub fn start(app: &App, store: &Store, c: &Container, attach: Attach) -> Result<Started> {
    start_when(app, store, c, attach, |_| Ok(true))?.context("the start was called off")
}

/// [`start`], when `go` (called under the start lock with the current
/// record) says so; `None` when it did not.
pub fn start_when(
    app: &App,
    store: &Store,
    c: &Container,
    attach: Attach,
    go: impl FnOnce(&Container) -> Result<bool>,
) -> Result<Option<Started>> {
    let start_lock = store.start_lock(&c.id)?;
    let c = refresh(store, c)?;
    if !go(&c)? {
        return Ok(None);
    }
    let c = store.load(&c.id)?;
    if c.state.status == Status::Running {
        bail!("container `{}` is already running", c.name);
    }
    // Volumes a create interrupted after the record was written.
    crate::volume::create_for(store.root(), &mut c.config.mounts.clone())?;
    if crate::network::user::network_of(&c).is_some() {
        crate::network::user::ensure_infra(app)?;
    }
    if let Some(pod) = crate::pod::pod_of(&c) {
        // A pod member needs the pod's infra (and its network) first.
        crate::pod::ensure_infra(app, &crate::pod::PodStore::new(&app.dirs.root).load(pod)?)?;
    }
    write_spec(store, &c)?;
    crashpoint("start.spec-written");
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("create a pipe")?;
    nix::fcntl::fcntl(
        tx.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
    )
    .context("pass the report pipe to the monitor")?;
    let exe = fs_err::read_link("/proc/self/exe")?;
    let mut cmd = std::process::Command::new(&exe);
    cmd.arg("--root")
        .arg(&app.dirs.root)
        .arg("--runroot")
        .arg(&app.dirs.runroot)
        .arg("container-monitor")
        .arg(&c.id)
        .arg("--report-fd")
        .arg(tx.as_raw_fd().to_string());
    if let Attach::Attached { stdout, stderr } = attach {
        cmd.arg("--attach");
        // The monitor copies the container's output to its own stdout and
        // stderr: a stream not asked for goes to the log only.
        if !stdout {
            cmd.stdout(std::process::Stdio::null());
        }
        if !stderr {
            cmd.stderr(std::process::Stdio::null());
        }
    } else {
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
    }
    let mut child = cmd
        .spawn()
        .with_context(|| format!("start the monitor `{}`", exe.display()))?;
    drop(tx);
    crashpoint("start.monitor-spawned");
    let mut reader = ReportReader::new(rx);
    let first = match reader.line(None)? {
        Some(l) => l,
        None => {
            let status = child.wait().ok();
            bail!(
                "the monitor of `{}` died during start-up ({status:?})\nhint: run with --log-level debug",
                c.name
            );
        }
    };
    let (word, rest) = first.split_once(' ').unwrap_or((&first, ""));
    match word {
        report::STARTED => {}
        report::FAILED => {
            let _ = child.wait();
            let (code, msg) = rest.split_once(' ').unwrap_or((rest, ""));
            let code: u8 = code.parse().unwrap_or(crate::error::RCTL_ERROR);
            return Err(crate::error::Exit::WithMessage {
                code,
                message: format!("start container `{}`: {msg}", c.name),
            }
            .into());
        }
        other => bail!("unexpected report from the monitor: `{other}`"),
    }
    let pid: i32 = rest.trim().parse().unwrap_or(0);
    events::container("start", &c);
    drop(start_lock);
    if attach == Attach::Detached {
        // The monitor lives on; it reparents to our subreaper when we exit.
        std::mem::forget(child);
        return Ok(Some(Started::Running { pid }));
    }
    // Attached: forward the signals a user sends rctl to the container
    // (Podman's --sig-proxy) while waiting for the exit report.
    let _raw = if c.config.tty {
        crate::terminal::RawMode::enter()
    } else {
        None
    };
    let proxy = SignalProxy::new().ok();
    let code = loop {
        match reader.line(proxy.as_ref().map(|p| (p, pid)))? {
            Some(l) => {
                if let Some(code) = l.strip_prefix(report::EXITED).map(str::trim) {
                    break code.parse().unwrap_or(crate::error::RCTL_ERROR);
                }
            }
            None => {
                // The monitor died without a word: read what it recorded.
                let _ = child.wait();
                break exit_code_of(store, &c.id).unwrap_or(crate::error::RCTL_ERROR);
            }
        }
    };
    let _ = child.wait();
    Ok(Some(Started::Exited { code }))
}

/// Signals an attached `rctl` passes on to the container.
struct SignalProxy {
    fd: nix::sys::signalfd::SignalFd,
}

impl SignalProxy {
    fn new() -> Result<SignalProxy> {
        use nix::sys::signal::{SigSet, SigmaskHow, sigprocmask};
        let mut mask = SigSet::empty();
        for s in [
            Signal::SIGINT,
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGQUIT,
            Signal::SIGUSR1,
            Signal::SIGUSR2,
        ] {
            mask.add(s);
        }
        sigprocmask(SigmaskHow::SIG_BLOCK, Some(&mask), None)?;
        let fd = nix::sys::signalfd::SignalFd::with_flags(
            &mask,
            nix::sys::signalfd::SfdFlags::SFD_CLOEXEC | nix::sys::signalfd::SfdFlags::SFD_NONBLOCK,
        )?;
        Ok(SignalProxy { fd })
    }
}

/// Lines from the monitor's report pipe, forwarding signals meanwhile.
struct ReportReader {
    fd: std::os::fd::OwnedFd,
    buf: Vec<u8>,
}

impl ReportReader {
    fn new(fd: std::os::fd::OwnedFd) -> ReportReader {
        ReportReader {
            fd,
            buf: Vec::new(),
        }
    }

    /// The next line; `None` at end of file.
    fn line(&mut self, proxy: Option<(&SignalProxy, i32)>) -> Result<Option<String>> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                return Ok(Some(String::from_utf8_lossy(&line[..nl]).into_owned()));
            }
            let mut fds = vec![PollFd::new(self.fd.as_fd(), PollFlags::POLLIN)];
            if let Some((p, _)) = proxy {
                fds.push(PollFd::new(p.fd.as_fd(), PollFlags::POLLIN));
            }
            match poll(&mut fds, PollTimeout::NONE) {
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e).context("wait for the monitor"),
                Ok(_) => {}
            }
            let ready = |i: usize| {
                fds.get(i)
                    .and_then(|f| f.revents())
                    .is_some_and(|r| !r.is_empty())
            };
            let (pipe_ready, sig_ready) = (ready(0), ready(1));
            drop(fds);
            if let (true, Some((p, pid))) = (sig_ready, proxy) {
                while let Ok(Some(info)) = p.fd.read_signal() {
                    if let Ok(sig) = Signal::try_from(info.ssi_signo as i32) {
                        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
                    }
                }
            }
            if !pipe_ready {
                continue;
            }
            let mut chunk = [0u8; 512];
            match nix::unistd::read(self.fd.as_raw_fd(), &mut chunk) {
                Ok(0) => {
                    if self.buf.is_empty() {
                        return Ok(None);
                    }
                    let line = String::from_utf8_lossy(&self.buf).into_owned();
                    self.buf.clear();
                    return Ok(Some(line));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
                Err(e) => return Err(e).context("read the monitor's report"),
            }
        }
    }
}

fn exit_code_of(store: &Store, id: &str) -> Option<u8> {
    store.load(id).ok()?.state.exit_code.map(|c| c as u8)
}

/// Whether the recorded init process is still the one we started.
fn alive(pid: Option<i32>, start: Option<u64>) -> bool {
    match (pid, start) {
        (Some(p), Some(s)) => userns::process_start_time(p) == Some(s),
        _ => false,
    }
}

/// Re-read a container and correct a `running` state whose process is gone
/// (its monitor was killed before it could record the exit).
pub fn refresh(store: &Store, c: &Container) -> Result<Container> {
    let c = store.load(&c.id)?;
    let monitor_alive = c
        .state
        .monitor_pid
        .is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
    if c.state.status == Status::Running && !alive(c.state.pid, c.state.pid_start) && !monitor_alive
    {
        let correct = |c: &mut Container| {
            if c.state.status == Status::Running {
                c.state.status = Status::Exited;
                c.state
                    .exit_code
                    .get_or_insert(crate::error::RCTL_ERROR as i32);
                c.state.finished_at.get_or_insert_with(super::now);
                c.state.pid = None;
            }
        };
        return match store.update(&c.id, correct) {
            Ok(c) => Ok(c),
            // Seen on a full disk: show the truth even if it cannot be kept.
            Err(e) => {
                log::warn!("record that container `{}` exited: {e:#}", c.name);
                let mut c = c;
                correct(&mut c);
                Ok(c)
            }
        };
    }
    Ok(c)
}

/// Parse a signal name or number (`TERM`, `SIGTERM`, `15`).
pub fn parse_signal(s: &str) -> Result<Signal> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i32>() {
        return Signal::try_from(n).map_err(|_| anyhow::anyhow!("unknown signal `{s}`"));
    }
    let up = t.to_ascii_uppercase();
    let name = if up.starts_with("SIG") {
        up
    } else {
        format!("SIG{up}")
    };
    name.parse::<Signal>().map_err(|_| {
        anyhow::anyhow!(
            "unknown signal `{s}`\nhint: use a name such as TERM, KILL, HUP or a number"
        )
    })
}

/// Send `sig` to the container's init, checked against pid reuse.
pub fn kill(store: &Store, c: &Container, sig: Signal) -> Result<()> {
    let c = refresh(store, c)?;
    if c.state.status != Status::Running {
        bail!("container `{}` is not running", c.name);
    }
    let pid = c.state.pid.context("running container without pid")?;
    let fd =
        crate::sys::pidfd_open(pid).with_context(|| format!("open container process {pid}"))?;
    if !alive(c.state.pid, c.state.pid_start) {
        return Ok(());
    }
    // The pidfd was opened before the start-time check, so the signal
    // reaches the checked process even if the pid were reused since.
    crate::sys::pidfd_send_signal(fd.as_fd(), sig)
        .with_context(|| format!("send {sig} to container `{}`", c.name))?;
    Ok(())
}

/// Wait until the monitor has recorded the container's exit, or `timeout`.
pub fn wait_exited(
    store: &Store,
    c: &Container,
    timeout: Option<Duration>,
) -> Result<Option<Container>> {
    let deadline = timeout.map(|t| Instant::now() + t);
    let pidfd = c.state.pid.and_then(|p| crate::sys::pidfd_open(p).ok());
    loop {
        let now = refresh(store, c)?;
        if now.state.status == Status::Exited {
            return Ok(Some(now));
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(None);
        }
        let ms = match (&pidfd, deadline) {
            (Some(_), Some(d)) => d
                .saturating_duration_since(Instant::now())
                .as_millis()
                .min(50) as u16,
            _ => 20,
        };
        if let Some(fd) = &pidfd {
            let mut fds = [nix::poll::PollFd::new(
                fd.as_fd(),
                nix::poll::PollFlags::POLLIN,
            )];
            let _ = nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(ms));
            std::thread::sleep(Duration::from_millis(1));
        } else {
            std::thread::sleep(Duration::from_millis(ms as u64));
        }
    }
}

/// Stop: the stop signal, `timeout` seconds, then SIGKILL.
pub fn stop(store: &Store, c: &Container, timeout: u32) -> Result<Container> {
    // Stopped for good: the monitor does not apply the restart policy
    // (also during its back-off, when the container is not running).
    crate::monitor::restart::mark_stopped(store, &c.id)?;
    // A restart under way finishes first (and is then stopped here).
    drop(store.start_lock(&c.id)?);
    let c = refresh(store, c)?;
    if c.state.status != Status::Running {
        return Ok(c);
    }
    let sig = c
        .config
        .stop_signal
        .as_deref()
        .or(c.config.image.stop_signal.as_deref())
        .map(parse_signal)
        .transpose()?
        .unwrap_or(Signal::SIGTERM);
    let _ = kill(store, &c, sig);
    events::container("stop", &c);
    if let Some(done) = wait_exited(store, &c, Some(Duration::from_secs(timeout.into())))? {
        return Ok(done);
    }
    log::info!(
        "container `{}` did not stop within {timeout}s: sending SIGKILL",
        c.name
    );
    let _ = kill(store, &c, Signal::SIGKILL);
    wait_exited(store, &c, Some(Duration::from_secs(10)))?
        .with_context(|| format!("container `{}` did not exit after SIGKILL", c.name))
}

/// Remove a container; a running one only with `force` (killed first).
pub fn remove(store: &Store, c: &Container, force: bool) -> Result<()> {
    let c = refresh(store, c)?;
    if c.state.status == Status::Running {
        if !force {
            bail!(
                "container `{}` is running\nhint: stop it first (`rctl stop {0}`) or use `rctl rm -f {0}`",
                c.name
            );
        }
        crate::monitor::restart::mark_stopped(store, &c.id)?;
        let _ = kill(store, &c, Signal::SIGKILL);
        wait_exited(store, &c, Some(Duration::from_secs(10)))?;
        crashpoint("rm.killed");
    }
    store.remove(&c.id)
}
