//! slirp4netns: its argument list and API requests (pure), and starting it
//! for a network namespace: `--ready-fd` tells when the tap device is
//! configured, then each published port is added through the JSON API
//! socket (`add_hostfwd`).

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use super::attach::{AttachError, HelperProcess};
use super::mode::{SLIRP_DEFAULT_CIDR, SlirpOptions};
use super::pasta::TUN_HINT;
use super::publish::PortMapping;
use crate::helper::{Helper, HelperPath, Running};

/// How long slirp4netns may take to configure the namespace.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// slirp4netns's arguments for the network namespace at path `netns` (an
/// inherited `/proc/self/fd/N`). Host loopback stays unreachable
/// (`--disable-host-loopback`) unless `allow_host_loopback=true`.
pub fn slirp_args(o: &SlirpOptions, netns: &Path, api_socket: &Path, ready_fd: i32) -> Vec<String> {
    let mut a = vec!["--configure".to_string(), format!("--mtu={}", o.mtu)];
    if !o.allow_host_loopback {
        a.push("--disable-host-loopback".into());
    }
    if o.enable_ipv6 {
        a.push("--enable-ipv6".into());
    }
    if o.cidr != SLIRP_DEFAULT_CIDR {
        a.push(format!("--cidr={}/{}", o.cidr.0, o.cidr.1));
    }
    a.extend([
        "--enable-sandbox".into(),
        "--enable-seccomp".into(),
        format!("--api-socket={}", api_socket.display()),
        format!("--ready-fd={ready_fd}"),
        "--netns-type=path".into(),
        netns.display().to_string(),
        "tap0".into(),
    ]);
    a
}

/// One `add_hostfwd` request per published port (ranges expanded); the
/// guest address is slirp4netns's default (cidr + 100).
pub fn hostfwd_requests(ports: &[PortMapping]) -> Vec<(u16, serde_json::Value)> {
    let mut out = Vec::new();
    for m in ports {
        for i in 0..m.range {
            let host_port = m.host_port + i;
            let host_addr = m
                .host_ip
                .map(|ip| ip.to_string())
                .unwrap_or_else(|| "0.0.0.0".into());
            out.push((
                host_port,
                serde_json::json!({
                    "execute": "add_hostfwd",
                    "arguments": {
                        "proto": m.protocol.name(),
                        "host_addr": host_addr,
                        "host_port": host_port,
                        "guest_port": m.container_port + i,
                    }
                }),
            ));
        }
    }
    out
}

fn diagnose(_: &Path, stderr: &str) -> Option<String> {
    if stderr.contains("/dev/net/tun") || stderr.contains("tun") && stderr.contains("ermission") {
        Some(TUN_HINT.into())
    } else {
        None
    }
}

/// The socket's file name in the state directory.
const API_SOCKET: &str = "slirp4netns.sock";

/// Send one request to the API socket `dir/slirp4netns.sock`; the answer's
/// error text, if any. A socket address holds at most 107 bytes and a
/// container's state directory can be longer, so the socket is reached as
/// `/proc/self/fd/N/slirp4netns.sock` through a descriptor of `dir`.
pub fn api_call(dir: &Path, request: &serde_json::Value) -> std::io::Result<Option<String>> {
    let d = fs_err::File::open(dir)?;
    let mut s = UnixStream::connect(format!("/proc/self/fd/{}/{API_SOCKET}", d.as_raw_fd()))?;
    drop(d);
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(request.to_string().as_bytes())?;
    s.shutdown(std::net::Shutdown::Write)?;
    let mut answer = String::new();
    s.read_to_string(&mut answer)?;
    let v: serde_json::Value = serde_json::from_str(&answer)
        .map_err(|e| std::io::Error::other(format!("bad answer `{answer}`: {e}")))?;
    Ok(v.get("error").map(|e| {
        e.get("desc")
            .and_then(|d| d.as_str())
            .unwrap_or("unknown error")
            .to_string()
    }))
}

/// Wait until slirp4netns writes to its ready pipe, exits, or times out.
fn wait_ready(running: &mut Running<'_>, ready: OwnedFd, log: &Path) -> Result<(), AttachError> {
    let mut ready = std::fs::File::from(ready);
    nix::fcntl::fcntl(
        ready.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
    )
    .map_err(|e| AttachError::Io {
        what: "make slirp4netns's ready pipe non-blocking".into(),
        source: e.into(),
    })?;
    let deadline = Instant::now() + READY_TIMEOUT;
    let log_text = || std::fs::read_to_string(log).unwrap_or_default();
    let mut buf = [0u8; 8];
    loop {
        match ready.read(&mut buf) {
            Ok(n) if n > 0 => return Ok(()),
            Ok(_) => {} // EOF: it closed the pipe; its exit status tells why.
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => {
                return Err(AttachError::Io {
                    what: "read slirp4netns's ready pipe".into(),
                    source: e,
                });
            }
        }
        if let Some(status) = running
            .child
            .try_wait()
            .map_err(AttachError::io("wait for slirp4netns"))?
        {
            return Err(running.failed(status.to_string(), log_text()).into());
        }
        if Instant::now() > deadline {
            let _ = running.child.kill();
            let _ = running.child.wait();
            return Err(running
                .failed(format!("not ready after {READY_TIMEOUT:?}"), log_text())
                .into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Start slirp4netns for the namespace open as `ns` and add the port
/// forwards; on any failure it is stopped before returning.
pub(super) fn start(
    o: &SlirpOptions,
    ports: &[PortMapping],
    ns: &fs_err::File,
    helpers: &HelperPath,
    state_dir: &Path,
) -> Result<(HelperProcess, std::path::PathBuf), AttachError> {
    let netns = super::attach::inherit(ns)?;
    let api = state_dir.join(API_SOCKET);
    // slirp4netns binds its socket through an inherited descriptor of the
    // state directory, for the same length limit as in `api_call`.
    let dir = fs_err::File::open(state_dir)
        .map_err(AttachError::io("open the network state directory"))?;
    let short_api = super::attach::inherit(&dir)?.join(API_SOCKET);
    let log = state_dir.join("slirp4netns.log");
    let _ = fs_err::remove_file(&api);
    let log_file =
        fs_err::File::create(&log).map_err(AttachError::io("create slirp4netns's log"))?;
    let (ready_r, ready_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| AttachError::Io {
            what: "create a pipe".into(),
            source: e.into(),
        })?;
    // The write end is inherited by slirp4netns at the same number.
    nix::fcntl::fcntl(
        ready_w.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
    )
    .map_err(|e| AttachError::Io {
        what: "clear close-on-exec on the ready pipe".into(),
        source: e.into(),
    })?;
    let started = Instant::now();
    let mut running = Helper::new("slirp4netns")
        .args(slirp_args(o, &netns, &short_api, ready_w.as_raw_fd()))
        .diagnose(&diagnose)
        .spawn(helpers, log_file.file())?;
    drop(ready_w);
    drop(dir);
    wait_ready(&mut running, ready_r, &log)?;
    log::debug!(
        "slirp4netns (pid {}) ready after {:?}",
        running.child.id(),
        started.elapsed()
    );
    let stop = |running: &mut Running<'_>| {
        let _ = running.child.kill();
        let _ = running.child.wait();
        let _ = fs_err::remove_file(&api);
    };
    for (port, req) in hostfwd_requests(ports) {
        let proto = req["arguments"]["proto"]
            .as_str()
            .unwrap_or("tcp")
            .to_string();
        match api_call(state_dir, &req) {
            Ok(None) => {}
            Ok(Some(reason)) => {
                stop(&mut running);
                return Err(AttachError::PortForward {
                    port,
                    proto,
                    reason,
                });
            }
            Err(e) => {
                stop(&mut running);
                return Err(AttachError::Io {
                    what: format!("ask slirp4netns to forward {proto} port {port}"),
                    source: e,
                });
            }
        }
    }
    let pid = running.child.id() as i32;
    Ok((HelperProcess::identify("slirp4netns", pid)?, api))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::publish::parse_publish;

    #[test]
    fn args() {
        let ns = Path::new("/proc/self/fd/4");
        let a = slirp_args(&SlirpOptions::default(), ns, Path::new("/r/api.sock"), 7);
        assert_eq!(
            a.join(" "),
            "--configure --mtu=65520 --disable-host-loopback --enable-sandbox --enable-seccomp --api-socket=/r/api.sock --ready-fd=7 --netns-type=path /proc/self/fd/4 tap0"
        );
        let o = SlirpOptions {
            allow_host_loopback: true,
            enable_ipv6: true,
            mtu: 1500,
            cidr: ("10.9.0.0".parse().unwrap(), 24),
        };
        let a = slirp_args(&o, ns, Path::new("/s"), 3);
        assert_eq!(
            a.join(" "),
            "--configure --mtu=1500 --enable-ipv6 --cidr=10.9.0.0/24 --enable-sandbox --enable-seccomp --api-socket=/s --ready-fd=3 --netns-type=path /proc/self/fd/4 tap0"
        );
    }

    #[test]
    fn requests_expand_ranges() {
        let ports: Vec<PortMapping> = ["127.0.0.1:8080-8081:80-81", "5353:53/udp"]
            .iter()
            .flat_map(|s| parse_publish(s).unwrap())
            .collect();
        let r = hostfwd_requests(&ports);
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[1].1.to_string(),
            r#"{"arguments":{"guest_port":81,"host_addr":"127.0.0.1","host_port":8081,"proto":"tcp"},"execute":"add_hostfwd"}"#
        );
        assert_eq!(r[2].1["arguments"]["host_addr"], "0.0.0.0");
        assert_eq!(r[2].1["arguments"]["proto"], "udp");
    }
}
