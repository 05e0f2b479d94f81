//! pasta: its argument list (pure) and starting it for a network namespace.
//!
//! pasta is started from inside rctl's user namespace (where rctl has
//! CAP_SYS_ADMIN over the container's network namespace) and given the
//! namespace as `/proc/self/fd/N`, a descriptor rctl opened and pasta
//! inherits: pasta drops capabilities before it opens `--netns`, and
//! opening `/proc/PID/ns/net` of a process with more capabilities than the
//! opener is refused (EACCES), while reopening one's own descriptor is not.
//! pasta daemonizes once the namespace is configured and its ports are
//! bound, so its first process exiting 0 means "ready"; `--pid` tells us the
//! daemon's pid.

use std::net::IpAddr;
use std::path::Path;
use std::time::Instant;

use super::attach::{AttachError, HelperProcess};
use super::mode::PastaOptions;
use super::publish::{PortMapping, Protocol};
use crate::helper::{Helper, HelperPath};

/// The hint for helpers that cannot open the tun device.
pub const TUN_HINT: &str = "users must be able to open /dev/net/tun: run `chmod 666 /dev/net/tun` as root (most distributions ship it that way)";

/// One `-t`/`-u` value: `[ADDR/]HOST[-END]:CTR[-END]`.
pub fn port_spec(m: &PortMapping) -> String {
    let range = |first: u16| {
        if m.range > 1 {
            format!("{first}-{}", first + (m.range - 1))
        } else {
            first.to_string()
        }
    };
    let addr = m.host_ip.map(|ip| format!("{ip}/")).unwrap_or_default();
    format!("{addr}{}:{}", range(m.host_port), range(m.container_port))
}

/// pasta's arguments for a namespace reachable at `netns`.
///
/// Nothing is forwarded that was not asked for: `-t none`/`-u none` when
/// no port of that protocol is published (pasta's default, `auto`, would
/// publish every port the container binds), and `-T none -U none` (no
/// forwarding from the container's loopback to the host's) unless the user
/// passed their own. `extra_args` (`--network pasta:...`) come last.
pub fn pasta_args(
    opts: &PastaOptions,
    ports: &[PortMapping],
    dns_forward: Option<IpAddr>,
    netns: &Path,
    pid_file: &Path,
) -> Vec<String> {
    let mut a: Vec<String> = vec!["--config-net".into(), "--quiet".into()];
    for (proto, flag) in [(Protocol::Tcp, "-t"), (Protocol::Udp, "-u")] {
        let specs: Vec<String> = ports
            .iter()
            .filter(|p| p.protocol == proto)
            .map(port_spec)
            .collect();
        if specs.is_empty() {
            a.extend([flag.to_string(), "none".into()]);
        }
        for s in specs {
            a.extend([flag.to_string(), s]);
        }
    }
    if !opts.has("--tcp-ns", Some("-T")) {
        a.extend(["-T".into(), "none".into()]);
    }
    if !opts.has("--udp-ns", Some("-U")) {
        a.extend(["-U".into(), "none".into()]);
    }
    if let Some(ip) = dns_forward {
        a.extend(["--dns-forward".into(), ip.to_string()]);
    }
    a.extend([
        "--netns".into(),
        netns.display().to_string(),
        "--pid".into(),
        pid_file.display().to_string(),
    ]);
    a.extend(opts.extra_args.iter().cloned());
    a
}

fn diagnose(_: &Path, stderr: &str) -> Option<String> {
    if stderr.contains("/dev/net/tun") {
        Some(TUN_HINT.into())
    } else if stderr.contains("Failed to bind") {
        Some(
            "a published host port is in use: stop what listens there or publish another host port"
                .into(),
        )
    } else if stderr.contains("routable interface") || stderr.contains("default route") {
        Some("pasta copies the host's default route; without one use --network slirp4netns".into())
    } else {
        None
    }
}

/// Start pasta for the network namespace open as `ns`; returns once the
/// namespace is configured and the ports are bound.
pub(super) fn start(
    opts: &PastaOptions,
    ports: &[PortMapping],
    dns_forward: Option<IpAddr>,
    ns: &fs_err::File,
    helpers: &HelperPath,
    state_dir: &Path,
) -> Result<HelperProcess, AttachError> {
    let netns = super::attach::inherit(ns)?;
    let pid_file = state_dir.join("pasta.pid");
    let _ = fs_err::remove_file(&pid_file);
    let args = pasta_args(opts, ports, dns_forward, &netns, &pid_file);
    let started = Instant::now();
    Helper::new("pasta")
        .args(&args)
        .diagnose(&diagnose)
        .run(helpers)?;
    let text = fs_err::read_to_string(&pid_file).map_err(AttachError::io("read pasta's pid"))?;
    let pid: i32 = text.trim().parse().map_err(|_| AttachError::Io {
        what: format!("parse pasta's pid file `{}`", pid_file.display()),
        source: std::io::Error::other(format!("`{}` is not a pid", text.trim())),
    })?;
    log::debug!("pasta (pid {pid}) ready after {:?}", started.elapsed());
    HelperProcess::identify("pasta", pid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::publish::parse_publish;

    fn ports(specs: &[&str]) -> Vec<PortMapping> {
        specs
            .iter()
            .flat_map(|s| parse_publish(s).unwrap())
            .collect()
    }

    #[test]
    fn port_specs() {
        let p = ports(&[
            "127.0.0.1:8080:80",
            "8000-8002:9000-9002/udp",
            "[::1]:53:53/tcp",
        ]);
        let s: Vec<String> = p.iter().map(port_spec).collect();
        assert_eq!(s, ["127.0.0.1/8080:80", "8000-8002:9000-9002", "::1/53:53"]);
    }

    #[test]
    fn args_forward_only_what_was_asked() {
        let a = pasta_args(
            &PastaOptions::default(),
            &ports(&["127.0.0.1:8080:80"]),
            Some("169.254.1.1".parse().unwrap()),
            Path::new("/proc/self/fd/5"),
            Path::new("/run/x/pasta.pid"),
        );
        assert_eq!(
            a.join(" "),
            "--config-net --quiet -t 127.0.0.1/8080:80 -u none -T none -U none --dns-forward 169.254.1.1 --netns /proc/self/fd/5 --pid /run/x/pasta.pid"
        );
        let a = pasta_args(
            &PastaOptions {
                extra_args: vec!["-T".into(), "5432".into(), "--no-map-gw".into()],
            },
            &ports(&["53:53/tcp,udp"]),
            None,
            Path::new("/ns"),
            Path::new("/p"),
        );
        assert_eq!(
            a.join(" "),
            "--config-net --quiet -t 53:53 -u 53:53 -U none --netns /ns --pid /p -T 5432 --no-map-gw"
        );
    }

    #[test]
    fn diagnoses() {
        let p = Path::new("/usr/bin/pasta");
        assert!(
            diagnose(p, "Failed to open() /dev/net/tun: Permission denied")
                .unwrap()
                .contains("chmod 666 /dev/net/tun")
        );
        assert!(
            diagnose(p, "Failed to bind any port for '-t 1/2:3', exiting")
                .unwrap()
                .contains("in use")
        );
        assert_eq!(diagnose(p, "something else"), None);
    }
}
