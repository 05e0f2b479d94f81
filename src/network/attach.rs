//! Executing a network plan for a container's network namespace: reserve
//! the published host ports, start pasta or slirp4netns, wait until it is
//! ready, and hand back a handle that stops it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::mode::NetworkMode;
use super::plan::NetworkPlan;
use super::publish::{PortMapping, Protocol};
use super::{pasta, slirp};
use crate::helper::{HelperError, HelperPath};

/// Attaching a network (or stopping its helper) failed.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error(
        "host port {port}/{proto} on {addr} is already in use\nhint: stop what listens there (`ss -lntup 'sport = :{port}'` shows it) or publish another host port, e.g. `-p {next}:CONTAINERPORT`, or let rctl choose one with `-p CONTAINERPORT`"
    )]
    PortInUse {
        port: u16,
        proto: &'static str,
        addr: IpAddr,
        next: u16,
    },
    #[error("no free host port range of {range} for `{mapping}`")]
    NoFreePorts { range: u16, mapping: String },
    #[error(
        "slirp4netns cannot forward host port {port}/{proto}: {reason}\nhint: the port may be in use or the address not on this host"
    )]
    PortForward {
        port: u16,
        proto: String,
        reason: String,
    },
    #[error(
        "--network {0} is not available yet (user-defined networks arrive with `rctl network create`)"
    )]
    NotYet(String),
    #[error(
        "cannot open the network namespace of process {pid}: permission denied\nhint: attach from inside rctl's user namespace (after App::enter) to a process that rctl started there"
    )]
    ForeignNamespace { pid: i32 },
    #[error(transparent)]
    Helper(#[from] HelperError),
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl AttachError {
    /// A `map_err` adapter for an I/O step.
    pub fn io(what: &str) -> impl FnOnce(std::io::Error) -> AttachError + '_ {
        move |source| AttachError::Io {
            what: what.to_string(),
            source,
        }
    }
}

/// Let the next helper inherit `ns` (clear close-on-exec) and return the
/// path under which it reopens it (`/proc/self/fd/N`). Both helpers get the
/// namespace this way: rctl, with all capabilities in its user namespace,
/// opened `/proc/PID/ns/net`; a helper that has dropped capabilities may
/// not (see `pasta.rs`), and the descriptor cannot follow a reused pid.
pub(super) fn inherit(ns: &fs_err::File) -> Result<PathBuf, AttachError> {
    use std::os::fd::AsRawFd;
    nix::fcntl::fcntl(
        ns.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
    )
    .map_err(|e| AttachError::Io {
        what: format!("clear close-on-exec on `{}`", ns.path().display()),
        source: e.into(),
    })?;
    Ok(PathBuf::from(format!("/proc/self/fd/{}", ns.as_raw_fd())))
}

/// A running helper, identified by pid and start time (so a recycled pid is
/// never signalled).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HelperProcess {
    pub program: String,
    pub pid: i32,
    /// Field 22 of `/proc/PID/stat` (clock ticks since boot).
    pub start_time: u64,
}

/// Start time and state letter from `/proc/PID/stat` text.
pub fn parse_stat(text: &str) -> Option<(char, u64)> {
    // The command name is in parentheses and may contain anything.
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let state = f.first()?.chars().next()?;
    Some((state, f.get(19)?.parse().ok()?))
}

fn stat_of(pid: i32) -> Option<(char, u64)> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

impl HelperProcess {
    pub(super) fn identify(program: &str, pid: i32) -> Result<HelperProcess, AttachError> {
        let (_, start_time) = stat_of(pid).ok_or_else(|| AttachError::Io {
            what: format!("{program} (pid {pid}) exited right after start"),
            source: std::io::Error::other("no /proc entry"),
        })?;
        Ok(HelperProcess {
            program: program.to_string(),
            pid,
            start_time,
        })
    }

    /// Whether the process still runs (not gone, not a zombie, not reused).
    pub fn is_running(&self) -> bool {
        matches!(stat_of(self.pid), Some((state, t)) if t == self.start_time && state != 'Z' && state != 'X')
    }

    /// SIGTERM, then SIGKILL after `grace`; reaps it if it is our child.
    pub fn stop(&self, grace: Duration) -> Result<(), AttachError> {
        let pid = Pid::from_raw(self.pid);
        let reap = || {
            let _ = nix::sys::wait::waitpid(pid, Some(nix::sys::wait::WaitPidFlag::WNOHANG));
        };
        if !self.is_running() {
            reap();
            return Ok(());
        }
        let _ = kill(pid, Signal::SIGTERM);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            reap();
            if !self.is_running() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if self.is_running() {
            kill(pid, Signal::SIGKILL).map_err(|e| AttachError::Io {
                what: format!("kill {} (pid {})", self.program, self.pid),
                source: e.into(),
            })?;
        }
        reap();
        Ok(())
    }
}

/// What `attach` started, for `rctl port` and for teardown. Serializable so
/// the runtime can keep it in the container's state and stop the helper
/// from another rctl process.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetworkHandle {
    /// The mode's name (`pasta`, `slirp4netns`, `none`, ...).
    pub mode: String,
    /// The helper that connects the namespace, if the mode has one.
    pub helper: Option<HelperProcess>,
    /// The published ports with every host port chosen (no 0 left).
    pub ports: Vec<PortMapping>,
    /// slirp4netns's API socket.
    pub api_socket: Option<PathBuf>,
}

impl NetworkHandle {
    /// Stop the helper (SIGTERM, SIGKILL after 2 s) and remove its socket.
    /// Safe to call twice, and after the helper exited by itself.
    pub fn stop(&self) -> Result<(), AttachError> {
        if let Some(h) = &self.helper {
            h.stop(Duration::from_secs(2))?;
        }
        if let Some(s) = &self.api_socket {
            let _ = fs_err::remove_file(s);
        }
        Ok(())
    }
}

fn bind_probe(proto: Protocol, addr: SocketAddr) -> std::io::Result<()> {
    match proto {
        Protocol::Udp => UdpSocket::bind(addr).map(drop),
        _ => TcpListener::bind(addr).map(drop),
    }
}

fn probe_addr(m: &PortMapping, port: u16) -> SocketAddr {
    SocketAddr::new(m.host_ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)), port)
}

/// A free port (or run of `range` ports) on the mapping's host address.
fn free_ports(m: &PortMapping) -> Result<u16, AttachError> {
    for _ in 0..50 {
        let first = match m.protocol {
            Protocol::Udp => UdpSocket::bind(probe_addr(m, 0)).and_then(|s| s.local_addr()),
            _ => TcpListener::bind(probe_addr(m, 0)).and_then(|s| s.local_addr()),
        }
        .map_err(AttachError::io("find a free host port"))?
        .port();
        if u32::from(first) + u32::from(m.range) > 65536 {
            continue;
        }
        if (1..m.range).all(|i| bind_probe(m.protocol, probe_addr(m, first + i)).is_ok()) {
            return Ok(first);
        }
    }
    Err(AttachError::NoFreePorts {
        range: m.range,
        mapping: m.to_string(),
    })
}

/// Choose the host ports left open (`-p 80`) and check that every other
/// host port can be bound now, so that a port in use is reported by name
/// before any helper starts. (A port taken between this check and the
/// helper's own bind is still reported, by the helper.)
pub fn reserve_host_ports(ports: &[PortMapping]) -> Result<Vec<PortMapping>, AttachError> {
    let mut out = Vec::with_capacity(ports.len());
    for m in ports {
        let mut m = m.clone();
        if m.host_port == 0 {
            m.host_port = free_ports(&m)?;
        }
        for i in 0..m.range {
            let port = m.host_port + i;
            let addr = probe_addr(&m, port);
            if let Err(e) = bind_probe(m.protocol, addr) {
                if e.kind() == std::io::ErrorKind::AddrInUse {
                    return Err(AttachError::PortInUse {
                        port,
                        proto: m.protocol.name(),
                        addr: addr.ip(),
                        next: port.checked_add(m.range).unwrap_or(8080),
                    });
                }
                return Err(AttachError::Io {
                    what: format!(
                        "bind host port {port}/{} on {}",
                        m.protocol.name(),
                        addr.ip()
                    ),
                    source: e,
                });
            }
        }
        out.push(m);
    }
    Ok(out)
}

/// Connect the network namespace of process `netns_pid` as `plan` says.
///
/// Call it from inside rctl's user namespace (after `App::enter`), once the
/// container's first process exists in its own network namespace and before
/// the payload runs (so the network is up when it starts). `state_dir` is a
/// private directory for the helper's pid file, API socket and log (the
/// container's runtime directory); it is created if missing. Returns when
/// the helper is ready and every port is forwarded; on error nothing is left
/// running. Modes without a helper (`none`, `host`, `container:`) start
/// nothing and return a handle without one.
///
/// The helper inherits descriptors rctl leaves open without close-on-exec
/// for the length of the call (the namespace, slirp4netns's ready pipe):
/// call it from one thread at a time, not while another thread spawns
/// processes.
pub fn attach(
    plan: &NetworkPlan,
    netns_pid: i32,
    helpers: &HelperPath,
    state_dir: &Path,
) -> Result<NetworkHandle, AttachError> {
    let mut handle = NetworkHandle {
        mode: plan.mode.name(),
        helper: None,
        ports: Vec::new(),
        api_socket: None,
    };
    if let NetworkMode::Named { name } = &plan.mode {
        return Err(AttachError::NotYet(name.clone()));
    }
    if !plan.mode.has_helper() {
        return Ok(handle);
    }
    // Opened here for every helper: a missing process is reported before
    // anything starts, and pasta inherits this descriptor.
    let ns = fs_err::File::open(format!("/proc/{netns_pid}/ns/net")).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            AttachError::ForeignNamespace { pid: netns_pid }
        } else {
            AttachError::Io {
                what: format!("open the network namespace of process {netns_pid}"),
                source: e,
            }
        }
    })?;
    fs_err::create_dir_all(state_dir)
        .map_err(AttachError::io("create the network state directory"))?;
    handle.ports = reserve_host_ports(&plan.ports)?;
    match &plan.mode {
        NetworkMode::Pasta(o) => {
            handle.helper = Some(pasta::start(
                o,
                &handle.ports,
                plan.dns_forward,
                &ns,
                helpers,
                state_dir,
            )?);
        }
        NetworkMode::Slirp4netns(o) => {
            let (helper, api) = slirp::start(o, &handle.ports, &ns, helpers, state_dir)?;
            handle.helper = Some(helper);
            handle.api_socket = Some(api);
        }
        _ => unreachable!("modes without a helper returned above"),
    }
    Ok(handle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::publish::parse_publish;

    #[test]
    fn stat_fields() {
        let text =
            "1234 (a b) c) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10";
        assert_eq!(parse_stat(text), Some(('S', 98765)));
        assert_eq!(parse_stat("garbage"), None);
        let me = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert!(parse_stat(&me).is_some());
    }

    #[test]
    fn port_in_use_is_named() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let m = parse_publish(&format!("127.0.0.1:{port}:80")).unwrap();
        let e = reserve_host_ports(&m).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!(
                "host port {port}/tcp on 127.0.0.1 is already in use"
            )),
            "{text}"
        );
        assert!(text.contains("hint:"), "{text}");
        drop(l);
        // Random host ports are chosen, ranges kept together.
        let m = parse_publish("127.0.0.1::80-82/udp").unwrap();
        let r = reserve_host_ports(&m).unwrap();
        assert_ne!(r[0].host_port, 0);
        assert_eq!(r[0].range, 3);
    }

    #[test]
    fn stop_of_a_gone_process_is_ok() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let h = HelperProcess::identify("true", child.id() as i32);
        child.wait().unwrap();
        if let Ok(h) = h {
            assert!(!h.is_running());
            h.stop(Duration::from_millis(10)).unwrap();
        }
        let mut sleeper = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let h = HelperProcess::identify("sleep", sleeper.id() as i32).unwrap();
        assert!(h.is_running());
        h.stop(Duration::from_secs(2)).unwrap();
        assert!(!h.is_running());
        let _ = sleeper.wait();
    }
}
