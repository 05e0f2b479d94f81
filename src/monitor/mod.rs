//! The per-container monitor (the conmon role): `rctl` re-executed with a
//! hidden subcommand, detached in its own session. It forks the container
//! init, reports start-up to the caller on a pipe, copies the container's
//! output to the log (and to an attached caller), forwards signals, reaps
//! (as a subreaper), records the exit, and removes `--rm` containers.
//! No threads and no async runtime: one `poll` loop, a small resident set.

use std::io::Write;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use anyhow::{Context, Result};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use oci_spec::runtime::Spec;

use crate::config::StorageDriver;
use crate::container::lifecycle::{self, report};
use crate::container::store::Store;
use crate::container::{Status, now};
use crate::crashpoint::crashpoint;
use crate::runtime::RootfsSource;
use crate::runtime::init::{self, Launch};
use crate::runtime::mounts::OverlayDirs;
use crate::sys;

pub mod attach;
pub mod cgroup;
pub mod exit;
pub mod forward;
pub mod health;
pub mod journald;
pub mod jsonlog;
pub mod log;
pub mod restart;
pub mod rotate;
pub mod sdnotify;
pub mod setup;
pub mod stdio;

use self::log::{LogWriter, Stream};

/// How often an idle or busy monitor drops code pages it no longer uses.
const TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

const FORWARDED: &[Signal] = &[
    Signal::SIGTERM,
    Signal::SIGINT,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

fn send(report: &mut Option<std::fs::File>, line: &str) {
    if let Some(r) = report {
        if writeln!(r, "{line}").is_err() {
            *report = None;
        }
    }
}

/// Report a start that failed before the container ran (with the exit
/// code the caller is to give) and drop a `--rm` container's record.
fn fail_start(
    report: &mut Option<std::fs::File>,
    store: &Store,
    c: &crate::container::Container,
    code: u8,
    message: &str,
) {
    let message = message.replace('\n', " ");
    send(report, &format!("{} {code} {message}", report::FAILED));
    if c.config.remove {
        let _ = store.remove(&c.id);
    }
}

/// Record the container as running, listen for `rctl attach`, and report
/// the start to the caller. Listening comes before the report, so that
/// `run -d` followed by `attach` never races.
fn mark_running(
    store: &Store,
    id: &str,
    pid: i32,
    net: Option<&crate::network::NetworkHandle>,
    attach_socket: &std::path::Path,
    report: &mut Option<std::fs::File>,
) -> Result<Option<attach::AttachServer>> {
    crashpoint("monitor.forked");
    store.update(id, |c| {
        c.state.creating = None;
        c.state.status = Status::Running;
        c.state.pid = Some(pid);
        c.state.pid_start = crate::userns::process_start_time(pid);
        c.state.monitor_pid = Some(std::process::id() as i32);
        c.state.exit_code = None;
        c.state.started_at = Some(now());
        c.state.finished_at = None;
        c.state.network = net.cloned();
    })?;
    let server = match attach::AttachServer::bind(attach_socket) {
        Ok(s) => Some(s),
        Err(e) => {
            ::log::warn!("{e:#}: `rctl attach` will not work for container {id}");
            None
        }
    };
    // Before the report: a notify unit must hear READY=1 before the
    // starting `rctl` (its first main process) exits.
    cgroup::started();
    send(report, &format!("{} {pid}", report::STARTED));
    crashpoint("monitor.running");
    Ok(server)
}

/// Take the report pipe inherited from the starting `rctl` as fd `fd`.
pub fn adopt_report_pipe(fd: i32) -> Result<OwnedFd> {
    sys::adopt_inherited_fd(fd).with_context(|| format!("open the report pipe (fd {fd})"))
}

/// Run the monitor of container `id`; `report` is the caller's pipe;
/// the attach socket goes to `attach_socket`.
pub fn run(
    store: &Store,
    id: &str,
    report: OwnedFd,
    attach: bool,
    attach_socket: &std::path::Path,
    helpers: &crate::helper::HelperPath,
) -> Result<()> {
    let _ = nix::unistd::setsid();
    sys::set_process_name("rctl-monitor");
    // Whatever else the starting rctl inherited (a shell's or a test
    // runner's descriptors) must not live as long as the container.
    let _ = sys::close_fds_except(&[report.as_raw_fd()]);
    nix::sys::prctl::set_child_subreaper(true).context("become a subreaper")?;
    let mut report = Some(std::fs::File::from(report));
    let c = store.load(id)?;
    let spec_path = lifecycle::spec_path(store, id);
    let spec: Spec = serde_json::from_slice(&fs_err::read(&spec_path)?)
        .with_context(|| format!("parse `{}`", spec_path.display()))?;
    let mut logw = match LogWriter::open(&c.config.log, &lifecycle::log_file(store, &c), &c) {
        Ok(w) => w,
        Err(e) => {
            let msg = format!("open the log: {e:#}");
            fail_start(&mut report, store, &c, crate::error::RCTL_ERROR, &msg);
            return Ok(());
        }
    };
    let passthrough = c.config.log.driver == crate::container::logconfig::LogDriver::Passthrough;
    let io = stdio::setup(c.config.tty, c.config.interactive, attach, passthrough)?;
    if let Err(e) = cgroup::join(store, &c) {
        let code = crate::error::RCTL_ERROR;
        fail_start(&mut report, store, &c, code, &format!("{e:#}"));
        return Ok(());
    }
    if c.config.sdnotify == crate::units::SdNotify::Container {
        if let Err(e) = sdnotify::bind(&store.dir_of(id)) {
            let code = crate::error::RCTL_ERROR;
            fail_start(&mut report, store, &c, code, &format!("{e:#}"));
            return Ok(());
        }
    }

    let mut mask = SigSet::empty();
    mask.add(Signal::SIGCHLD);
    mask.add(Signal::SIGPIPE);
    for s in FORWARDED {
        mask.add(*s);
    }
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&mask), Some(&mut old)).context("block signals")?;
    let sfd = SignalFd::with_flags(&mask, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .context("create a signalfd")?;

    let dir = store.dir_of(id);
    // fuse-overlayfs stacks the layers here, before the PID namespace is
    // unshared, so that its daemon is not a process of the container.
    let fuse = match (&c.config.rootfs, c.config.storage_driver) {
        (RootfsSource::Layers { lower }, StorageDriver::FuseOverlayfs) => {
            match setup::FuseMount::mount(lower, &dir, helpers) {
                Ok(m) => Some(m),
                Err(e) => {
                    fail_start(
                        &mut report,
                        store,
                        &c,
                        crate::error::RCTL_ERROR,
                        &format!("{e:#}"),
                    );
                    return Ok(());
                }
            }
        }
        _ => None,
    };
    let vfs_source = match (&c.config.rootfs, c.config.storage_driver) {
        (RootfsSource::Layers { lower }, StorageDriver::Vfs) => {
            let root = dir.join("vfs");
            if let Err(e) = crate::container::vfs::materialize(lower, &root) {
                fail_start(
                    &mut report,
                    store,
                    &c,
                    crate::error::RCTL_ERROR,
                    &format!("{e:#}"),
                );
                return Ok(());
            }
            Some(RootfsSource::Dir(root))
        }
        _ => None,
    };
    let fuse_source = fuse
        .as_ref()
        .map(|m| RootfsSource::Dir(m.target.clone()))
        .or(vfs_source);
    let mut net_handle = None;
    if let Some(plan) = c.config.net.as_ref().filter(|p| p.mode.has_helper()) {
        match setup::enter_network(plan, helpers, &dir) {
            Ok(h) => net_handle = Some(h),
            Err(e) => {
                fail_start(
                    &mut report,
                    store,
                    &c,
                    crate::error::RCTL_ERROR,
                    &format!("{e:#}"),
                );
                return Ok(());
            }
        }
    }
    // A user-defined network: a namespace of our own on the network's bridge.
    let mut on_user_network = false;
    let mut forwarder = None;
    if let Some(plan) = c
        .config
        .net
        .as_ref()
        .filter(|_| crate::network::user::network_of(&c).is_some())
    {
        // Listeners first, in the user's own network namespace.
        let entered = forward::Forwarder::bind(&plan.ports).and_then(|f| {
            crate::network::user::enter(store.root(), &c, helpers)?;
            Ok(f)
        });
        let f = match entered {
            Ok(f) => f,
            Err(e) => {
                fail_start(
                    &mut report,
                    store,
                    &c,
                    crate::error::RCTL_ERROR,
                    &format!("{e:#}"),
                );
                return Ok(());
            }
        };
        net_handle = Some(crate::network::NetworkHandle {
            mode: plan.mode.name(),
            helper: None,
            ports: f.ports.clone(),
            api_socket: None,
        });
        if !f.ports.is_empty() {
            forwarder = Some(f);
        }
        on_user_network = true;
    }
    // A pod member or `container:` joins namespaces named in the spec.
    if let Err(e) = setup::join_namespaces(&spec) {
        if let Some(h) = &net_handle {
            let _ = h.stop();
        }
        fail_start(
            &mut report,
            store,
            &c,
            crate::error::RCTL_ERROR,
            &format!("{e:#}"),
        );
        return Ok(());
    }
    if let Some(runtime) = &c.config.runtime {
        return run_external(
            store,
            id,
            runtime,
            io,
            report,
            attach,
            attach_socket,
            &sfd,
            net_handle,
            &mut logw,
            forwarder,
        );
    }
    let (err_rx, err_tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let console = if c.config.tty {
        use nix::sys::socket::{AddressFamily, SockFlag, SockType, socketpair};
        Some(
            socketpair(
                AddressFamily::Unix,
                SockType::Stream,
                None,
                SockFlag::SOCK_CLOEXEC,
            )
            .context("create the terminal socket")?,
        )
    } else {
        None
    };
    // The init gets a new PID namespace by clone, not by unsharing ours:
    // what the monitor starts later (healthchecks, a restart's monitor)
    // stays outside the container's namespace.
    let forked = if init::wants_pid_namespace(&spec) {
        sys::fork_new_pid_namespace()
    } else {
        sys::fork()
    };
    let child = match forked.context("fork the container")? {
        sys::Fork::Child => {
            // The container dies with its monitor: without one it has no
            // log and no exit record, and a monitor killed before it
            // recorded the start would leave a container no record names
            // (found by tests/crash.rs, `monitor.forked`).
            let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
            let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
            for (i, fd) in io.child.iter().enumerate() {
                let _ = nix::unistd::dup2(fd.as_raw_fd(), i as i32);
            }
            let console = console.map(|(_, theirs)| theirs);
            let keep: Vec<i32> = [Some(err_tx.as_raw_fd())]
                .into_iter()
                .chain([console.as_ref().map(|f| f.as_raw_fd())])
                .flatten()
                .collect();
            let _ = sys::close_fds_except(&keep);
            let launch = Launch {
                spec: &spec,
                source: fuse_source.as_ref().unwrap_or(&c.config.rootfs),
                overlay: OverlayDirs {
                    upper: dir.join("upper"),
                    work: dir.join("work"),
                },
                init: c.config.init,
                console,
                netns_ready: net_handle.is_some() || on_user_network,
            };
            init::container_main(launch, err_tx)
        }
        sys::Fork::Parent(pid) => pid,
    };
    drop(err_tx);
    let stdio::Stdio {
        child: child_fds,
        mut master,
        stdout,
        stderr,
        stdin: stdin_pipe,
    } = io;
    drop(child_fds);
    if let Some((ours, theirs)) = console {
        drop(theirs);
        master = match sys::recv_fd(ours.as_fd()) {
            Ok(m) => m,
            Err(e) => {
                ::log::warn!("receive the terminal of container {id}: {e}");
                None
            }
        };
    }
    if let Some(f) = crate::runtime::exec::read_report(err_rx) {
        if let Some(h) = &net_handle {
            let _ = h.stop();
        }
        drop(fuse);
        let _ = nix::sys::wait::waitpid(child, None);
        fail_start(&mut report, store, &c, f.code, &f.message);
        return Ok(());
    }
    let pid = child.as_raw();
    let server = mark_running(
        store,
        id,
        pid,
        net_handle.as_ref(),
        attach_socket,
        &mut report,
    )?;
    if !attach {
        report = None;
    }

    // Start-up is over: keep only the code the loop below touches.
    sys::trim_code_pages();
    let streams = Streams {
        master,
        stdout,
        stderr,
        stdin_pipe,
        attached: attach,
    };
    let mut duty = health::Duty::new(store, &c);
    let code = pump(
        child, &sfd, streams, server, &mut logw, &mut duty, forwarder,
    );
    logw.flush();
    // Unmount before the record (and, with --rm, the directory) goes.
    drop(fuse);
    if let Some(h) = &net_handle {
        if let Err(e) = h.stop() {
            ::log::warn!("stop the network helper of container {id}: {e}");
        }
    }
    exit::record(store, id, code);
    crate::network::user::withdraw_hosts(store, &c);
    crashpoint("monitor.exit-recorded");
    if c.config.remove {
        if let Err(e) = store.remove(id) {
            ::log::error!("remove container {id}: {e:#}");
        }
    }
    send(&mut report, &format!("{} {code}", report::EXITED));
    Ok(())
}

/// Run the container with an external OCI runtime (`runtime::oci`): the
/// same duties as for rctl's own init, the runtime's init being reaped
/// and signalled directly.
#[allow(clippy::too_many_arguments)]
fn run_external(
    store: &Store,
    id: &str,
    runtime: &std::path::Path,
    io: stdio::Stdio,
    mut report: Option<std::fs::File>,
    attach: bool,
    attach_socket: &std::path::Path,
    sfd: &SignalFd,
    net_handle: Option<crate::network::NetworkHandle>,
    logw: &mut LogWriter,
    forwarder: Option<forward::Forwarder>,
) -> Result<()> {
    use crate::runtime::oci;
    let c = store.load(id)?;
    let dir = store.dir_of(id);
    let launched = oci::mount_root(&c.config.rootfs, &dir)
        .map_err(|e| oci::LaunchError {
            code: crate::error::RCTL_ERROR,
            message: format!("{e:#}"),
        })
        .and_then(|()| oci::launch(runtime, &dir, id, &io.child));
    let stdio::Stdio {
        child: child_fds,
        master,
        stdout,
        stderr,
        stdin: stdin_pipe,
    } = io;
    drop(child_fds);
    let pid = match launched {
        Ok(pid) => pid,
        Err(f) => {
            if let Some(h) = &net_handle {
                let _ = h.stop();
            }
            oci::delete(runtime, &dir, id);
            oci::unmount_root(&dir);
            let _ = exit::reap(nix::unistd::Pid::from_raw(-1));
            fail_start(&mut report, store, &c, f.code, &f.message);
            return Ok(());
        }
    };
    let child = nix::unistd::Pid::from_raw(pid);
    let server = mark_running(
        store,
        id,
        pid,
        net_handle.as_ref(),
        attach_socket,
        &mut report,
    )?;
    if !attach {
        report = None;
    }
    let streams = Streams {
        master,
        stdout,
        stderr,
        stdin_pipe,
        attached: attach,
    };
    let mut duty = health::Duty::new(store, &c);
    let code = pump(child, sfd, streams, server, logw, &mut duty, forwarder);
    logw.flush();
    oci::delete(runtime, &dir, id);
    oci::unmount_root(&dir);
    if let Some(h) = &net_handle {
        if let Err(e) = h.stop() {
            ::log::warn!("stop the network helper of container {id}: {e}");
        }
    }
    exit::record(store, id, code);
    crate::network::user::withdraw_hosts(store, &c);
    crashpoint("monitor.exit-recorded");
    if c.config.remove {
        if let Err(e) = store.remove(id) {
            ::log::error!("remove container {id}: {e:#}");
        }
    }
    send(&mut report, &format!("{} {code}", report::EXITED));
    Ok(())
}

/// The monitor's ends of the container's streams.
struct Streams {
    master: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    stdin_pipe: Option<OwnedFd>,
    /// The caller that started the container is attached (our stdio is its).
    attached: bool,
}

/// Copy output until the container has exited and its streams are closed;
/// return its exit code.
fn pump(
    child: nix::unistd::Pid,
    sfd: &SignalFd,
    io: Streams,
    mut server: Option<attach::AttachServer>,
    logw: &mut LogWriter,
    duty: &mut health::Duty,
    mut forwarder: Option<forward::Forwarder>,
) -> i32 {
    // Sources: (fd, stream); the terminal master carries stdout.
    let mut sources: Vec<(OwnedFd, Stream)> = Vec::new();
    if let Some(m) = &io.master {
        if let Ok(d) = m.try_clone() {
            sources.push((d, Stream::Stdout));
        }
    }
    sources.extend(io.stdout.map(|o| (o, Stream::Stdout)));
    sources.extend(io.stderr.map(|e| (e, Stream::Stderr)));
    // Where input goes: the terminal, or the stdin pipe of `-i`.
    let mut stdin_pipe = io.stdin_pipe;
    let mut stdin_open = io.attached && (io.master.is_some() || stdin_pipe.is_some());
    let mut code: Option<i32> = None;
    let mut buf = vec![0u8; 32 * 1024];
    let mut last_trim = std::time::Instant::now();
    loop {
        if last_trim.elapsed() >= TRIM_EVERY {
            sys::trim_code_pages();
            last_trim = std::time::Instant::now();
        }
        if code.is_some() && sources.is_empty() {
            break;
        }
        let stdin = std::io::stdin();
        let mut fds: Vec<PollFd> = vec![PollFd::new(sfd.as_fd(), PollFlags::POLLIN)];
        for (fd, _) in &sources {
            fds.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
        }
        let stdin_at = fds.len();
        if stdin_open {
            fds.push(PollFd::new(stdin.as_fd(), PollFlags::POLLIN));
        }
        let server_at = fds.len();
        let mut n_clients = 0;
        if let Some(s) = &server {
            fds.push(PollFd::new(s.listener_fd(), PollFlags::POLLIN));
            let clients = s.client_fds();
            n_clients = clients.len();
            fds.extend(
                clients
                    .into_iter()
                    .map(|c| PollFd::new(c, PollFlags::POLLIN)),
            );
        }
        let fwd_at = fds.len();
        if let Some(f) = &forwarder {
            fds.extend(f.poll_fds());
        }
        let notify_at = fds.len();
        if let Some(fd) = sdnotify::poll_fd() {
            fds.push(PollFd::new(fd, PollFlags::POLLIN));
        }
        // Once the init is gone, do not wait for streams held open forever.
        let timeout = if code.is_some() {
            PollTimeout::from(200u16)
        } else {
            PollTimeout::from(duty.timeout(TRIM_EVERY).as_millis() as u16)
        };
        match poll(&mut fds, timeout) {
            Ok(0) if code.is_some() => break,
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => break,
        }
        let events: Vec<PollFlags> = fds
            .iter()
            .map(|f| f.revents().unwrap_or(PollFlags::empty()))
            .collect();
        let ready: Vec<bool> = events.iter().map(|r| !r.is_empty()).collect();
        drop(fds);
        if let Some(f) = &mut forwarder {
            f.service(&events[fwd_at..notify_at]);
        }
        if ready.get(notify_at) == Some(&true) {
            sdnotify::service();
        }
        if ready[0] {
            while let Ok(Some(info)) = sfd.read_signal() {
                let sig = Signal::try_from(info.ssi_signo as i32).ok();
                match sig {
                    Some(Signal::SIGCHLD) => {
                        if let Some(c) = exit::reap_with(child, &mut |p| duty.reaped(p, child)) {
                            code = Some(c);
                        }
                    }
                    Some(Signal::SIGPIPE) | None => {}
                    Some(s) => {
                        let _ = nix::sys::signal::kill(child, s);
                    }
                }
            }
        }
        if code.is_none() {
            duty.tick(child);
        }
        let mut closed = Vec::new();
        for (i, (fd, stream)) in sources.iter().enumerate() {
            if !ready[1 + i] {
                continue;
            }
            match nix::unistd::read(fd.as_raw_fd(), &mut buf) {
                Ok(0) | Err(nix::errno::Errno::EIO) => closed.push(i),
                Ok(n) => {
                    logw.write(*stream, &buf[..n]);
                    if io.attached {
                        let _ = match stream {
                            Stream::Stdout => {
                                sys::write_all_fd(std::io::stdout().as_fd(), &buf[..n])
                            }
                            Stream::Stderr => {
                                sys::write_all_fd(std::io::stderr().as_fd(), &buf[..n])
                            }
                        };
                    }
                    if let Some(s) = &mut server {
                        s.broadcast(*stream, &buf[..n]);
                    }
                }
                Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
                Err(_) => closed.push(i),
            }
        }
        for i in closed.into_iter().rev() {
            sources.remove(i);
        }
        if stdin_open && ready[stdin_at] {
            match nix::unistd::read(std::io::stdin().as_raw_fd(), &mut buf) {
                Ok(0) | Err(_) => {
                    stdin_open = false;
                    // The caller's input ended: so does the container's
                    // (a terminal keeps going, as with Podman).
                    stdin_pipe = None;
                }
                Ok(n) => {
                    if let Some(target) = io.master.as_ref().or(stdin_pipe.as_ref()) {
                        let _ = sys::write_all_fd(target.as_fd(), &buf[..n]);
                    }
                }
            }
        }
        if let Some(s) = &mut server {
            // Clients first (their indices), newest last, then new ones.
            for i in (0..n_clients).rev() {
                if ready[server_at + 1 + i] {
                    if let Some(n) = s.read_client(i, &mut buf) {
                        if let Some(target) = io.master.as_ref().or(stdin_pipe.as_ref()) {
                            let _ = sys::write_all_fd(target.as_fd(), &buf[..n]);
                        }
                    }
                }
            }
            if ready[server_at] {
                s.accept();
            }
        }
    }
    code.or_else(|| exit::reap(child))
        .unwrap_or(crate::error::RCTL_ERROR as i32)
}
