//! The container's first process, forked by the monitor inside the new PID
//! namespace: it enters the remaining namespaces, builds the filesystem
//! view, drops privileges and execs the payload. Failures are reported on a
//! close-on-exec pipe as `CODE MESSAGE`; a clean exec closes it.

use std::ffi::CString;
use std::io::Write;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::sched::CloneFlags;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use oci_spec::runtime::{LinuxNamespaceType, Process, Spec};

use super::mounts::{self, OverlayDirs};
use super::{RootfsSource, security};
use crate::error::{CANNOT_INVOKE, NOT_FOUND, RCTL_ERROR};
use crate::sys;

/// What the child needs besides the spec.
pub struct Launch<'a> {
    pub spec: &'a Spec,
    pub source: &'a RootfsSource,
    pub overlay: OverlayDirs,
    /// Run rctl's minimal init as PID 1 (reaps zombies, forwards signals).
    pub init: bool,
    /// With a terminal: the socket on which the terminal's master is sent
    /// to the monitor (the terminal is opened inside the container's own
    /// devpts instance, after the mounts).
    pub console: Option<OwnedFd>,
    /// The monitor already made the network namespace (and attached pasta
    /// or slirp4netns to it): the init stays in it instead of making one.
    pub netns_ready: bool,
}

/// A failure with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn rctl(e: anyhow::Error) -> Failure {
        Failure {
            code: RCTL_ERROR,
            message: crate::error::render(&e)
                .trim_start_matches("Error: ")
                .to_string(),
        }
    }
}

fn namespace_flags(spec: &Spec) -> CloneFlags {
    let mut flags = CloneFlags::empty();
    for ns in spec
        .linux()
        .as_ref()
        .and_then(|l| l.namespaces().clone())
        .unwrap_or_default()
    {
        // A namespace with a path was joined by the monitor.
        if ns.path().is_some() {
            continue;
        }
        flags |= match ns.typ() {
            LinuxNamespaceType::Mount => CloneFlags::CLONE_NEWNS,
            LinuxNamespaceType::Uts => CloneFlags::CLONE_NEWUTS,
            LinuxNamespaceType::Ipc => CloneFlags::CLONE_NEWIPC,
            LinuxNamespaceType::Network => CloneFlags::CLONE_NEWNET,
            LinuxNamespaceType::Cgroup => CloneFlags::CLONE_NEWCGROUP,
            // PID is unshared by the monitor before the fork; the user
            // namespace is rctl's own.
            _ => CloneFlags::empty(),
        };
    }
    flags
}

/// Whether the spec asks for a new PID namespace.
pub fn wants_pid_namespace(spec: &Spec) -> bool {
    spec.linux()
        .as_ref()
        .and_then(|l| l.namespaces().clone())
        .unwrap_or_default()
        .iter()
        .any(|n| n.typ() == LinuxNamespaceType::Pid)
}

/// The body of the forked child; never returns.
pub fn container_main(launch: Launch<'_>, report: OwnedFd) -> ! {
    let mut report = Some(report);
    let failure = match setup_and_exec(launch, &mut report) {
        Ok(never) => match never {},
        Err(f) => f,
    };
    if let Some(report) = report {
        let mut w = std::fs::File::from(report);
        let _ = write!(w, "{} {}", failure.code, failure.message);
    }
    sys::exit_now(failure.code as i32)
}

pub enum Never {}

fn setup_and_exec(launch: Launch<'_>, report: &mut Option<OwnedFd>) -> Result<Never, Failure> {
    // Nothing in here may be reachable from the container before exec:
    // a non-dumpable process cannot be opened through /proc/PID/exe.
    nix::sys::prctl::set_dumpable(false).map_err(|e| Failure::rctl(e.into()))?;
    let spec = launch.spec;
    let process = spec
        .process()
        .clone()
        .ok_or_else(|| Failure::rctl(anyhow::anyhow!("the spec has no process")))?;
    prepare(&launch, &process).map_err(Failure::rctl)?;
    if launch.init {
        match sys::fork()
            .map_err(|e| Failure::rctl(anyhow::Error::new(e).context("fork the payload")))?
        {
            sys::Fork::Parent(child) => {
                // Only the payload reports; its exec closes the pipe.
                drop(report.take());
                init_loop(child)
            }
            sys::Fork::Child => {}
        }
    }
    let profile = spec.linux().as_ref().and_then(|l| l.seccomp().clone());
    exec_with(&process, profile.as_ref())
}

/// Everything up to the exec, as root of rctl's user namespace.
fn prepare(launch: &Launch<'_>, process: &Process) -> Result<()> {
    let spec = launch.spec;
    nix::unistd::setsid().context("start a new session")?;
    let mut flags = namespace_flags(spec);
    if launch.netns_ready {
        flags.remove(CloneFlags::CLONE_NEWNET);
    }
    nix::sched::unshare(flags).context("create the container's namespaces")?;
    if flags.contains(CloneFlags::CLONE_NEWUTS) {
        if let Some(h) = spec.hostname() {
            nix::unistd::sethostname(h).with_context(|| format!("set hostname `{h}`"))?;
        }
    }
    if flags.contains(CloneFlags::CLONE_NEWNET) {
        sys::loopback_up().context("bring up loopback")?;
    }

    mounts::setup(spec, launch.source, &launch.overlay)?;
    if let Some(sock) = &launch.console {
        open_console(sock)?;
    }
    // Create the working directory when the image lacks it (as Podman).
    let cwd = process.cwd();
    if !cwd.exists() {
        std::fs::create_dir_all(cwd)
            .with_context(|| format!("create working directory `{}`", cwd.display()))?;
    }
    Ok(())
}

/// Open a terminal in the container's `/dev/ptmx`, make its slave our
/// stdio and controlling terminal, and send the master to the monitor.
pub(crate) fn open_console(sock: &OwnedFd) -> Result<()> {
    use nix::fcntl::OFlag;
    use std::os::fd::AsRawFd;
    let master = nix::pty::posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .context("open /dev/ptmx in the container")?;
    nix::pty::grantpt(&master).context("grantpt")?;
    nix::pty::unlockpt(&master).context("unlockpt")?;
    let name = nix::pty::ptsname_r(&master).context("name the terminal")?;
    let slave = fs_err::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&name)?;
    for fd in 0..3 {
        nix::unistd::dup2(slave.as_raw_fd(), fd).context("attach the terminal")?;
    }
    drop(slave);
    sys::set_controlling_terminal(std::io::stdin().as_fd())
        .context("set the controlling terminal")?;
    sys::send_fd(sock.as_fd(), master.as_fd()).context("pass the terminal to the monitor")?;
    Ok(())
}

/// Switch credentials, confine with `profile`, and exec the payload.
pub fn exec_with(
    process: &Process,
    profile: Option<&oci_spec::runtime::LinuxSeccomp>,
) -> Result<Never, Failure> {
    let args = process.args().clone().unwrap_or_default();
    let env = process.env().clone().unwrap_or_default();
    let path_var = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .to_string();
    let Some(arg0) = args.first() else {
        return Err(Failure {
            code: NOT_FOUND,
            message: "no command given".into(),
        });
    };
    let program = find_program(arg0, &path_var).ok_or_else(|| Failure {
        code: NOT_FOUND,
        message: format!("`{arg0}`: executable file not found in $PATH: no such file or directory"),
    })?;
    super::rlimit::apply(process.rlimits().as_deref().unwrap_or_default())
        .map_err(Failure::rctl)?;
    security::apply(process, profile).map_err(Failure::rctl)?;
    nix::unistd::chdir(process.cwd()).map_err(|e| Failure {
        code: RCTL_ERROR,
        message: format!("enter working directory `{}`: {e}", process.cwd().display()),
    })?;
    let cstr = |s: &str| {
        CString::new(s).map_err(|_| Failure {
            code: RCTL_ERROR,
            message: format!("`{s}` contains a NUL byte"),
        })
    };
    let c_args = args
        .iter()
        .map(|a| cstr(a))
        .collect::<Result<Vec<_>, _>>()?;
    let c_env = env.iter().map(|a| cstr(a)).collect::<Result<Vec<_>, _>>()?;
    let c_prog = cstr(&program.to_string_lossy())?;
    sys::cloexec_fds_from(3)
        .map_err(|e| Failure::rctl(anyhow::Error::new(e).context("mark fds close-on-exec")))?;
    sys::reset_signal_dispositions();
    let err = nix::unistd::execve(&c_prog, &c_args, &c_env).unwrap_err();
    let code = match err {
        nix::errno::Errno::ENOENT => NOT_FOUND,
        _ => CANNOT_INVOKE,
    };
    Err(Failure {
        code,
        message: format!("`{arg0}`: {}", err.desc().to_lowercase()),
    })
}

/// Find `name` like execvp, in the container's PATH.
fn find_program(name: &str, path: &str) -> Option<PathBuf> {
    if name.contains('/') {
        return Some(PathBuf::from(name));
    }
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// rctl's minimal init: forward signals to the payload, reap every child,
/// exit with the payload's status.
fn init_loop(child: nix::unistd::Pid) -> ! {
    use nix::sys::signal::{SigSet, SigmaskHow, sigprocmask};
    let mut set = SigSet::all();
    set.remove(Signal::SIGKILL);
    set.remove(Signal::SIGSTOP);
    let _ = sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None);
    loop {
        let Ok(sig) = set.wait() else { continue };
        if sig == Signal::SIGCHLD {
            loop {
                match nix::sys::wait::waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                    Ok(WaitStatus::Exited(pid, code)) if pid == child => sys::exit_now(code),
                    Ok(WaitStatus::Signaled(pid, s, _)) if pid == child => {
                        sys::exit_now(128 + s as i32)
                    }
                    Ok(WaitStatus::StillAlive) | Err(_) => break,
                    Ok(_) => continue,
                }
            }
        } else {
            let _ = nix::sys::signal::kill(child, sig);
        }
    }
}
