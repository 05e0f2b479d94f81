//! `-p/--publish` values: `[[IP:][HOSTPORT]:]CTRPORT[/PROTO]`, with port
//! ranges (`8080-8081:80-81`), IPv6 host addresses in brackets
//! (`[::1]:8080:80`), a random host port when none is given (`-p 80`,
//! `-p 127.0.0.1::80`), and `tcp`, `udp` or `sctp` (several as `tcp,udp`).
//! Pure parsing; binding the ports is the network module's job.

use std::net::IpAddr;

/// A transport protocol of a published port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }
}

/// One published port range.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PortMapping {
    /// The host address to bind; `None` for all addresses.
    pub host_ip: Option<IpAddr>,
    /// First host port; 0 asks for a free port chosen at start.
    pub host_port: u16,
    /// First container port.
    pub container_port: u16,
    /// How many consecutive ports (1 for a single port).
    pub range: u16,
    pub protocol: Protocol,
}

/// A `-p` value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "invalid port publication `{value}`: {reason}\nhint: use [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp|sctp], e.g. `-p 127.0.0.1:8080:80/tcp`"
)]
pub struct PublishError {
    pub value: String,
    pub reason: String,
}

fn port(s: &str, what: &str) -> Result<u16, String> {
    match s.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => Ok(p as u16),
        Ok(_) => Err(format!("{what} `{s}` is out of range 1-65535")),
        Err(_) => Err(format!("{what} `{s}` is not a number")),
    }
}

/// `N` or `N-M` → (first, count).
fn port_range(s: &str, what: &str) -> Result<(u16, u16), String> {
    match s.split_once('-') {
        None => Ok((port(s, what)?, 1)),
        Some((a, b)) => {
            let (a, b) = (port(a, what)?, port(b, what)?);
            if b < a {
                return Err(format!("{what} range `{s}` ends before it starts"));
            }
            Ok((a, b - a + 1))
        }
    }
}

/// Parse one `-p` value into one mapping per protocol.
pub fn parse_publish(value: &str) -> Result<Vec<PortMapping>, PublishError> {
    let err = |reason: String| PublishError {
        value: value.to_string(),
        reason,
    };
    let (addr_ports, protos) = match value.rsplit_once('/') {
        Some((a, p)) => (a, p),
        None => (value, "tcp"),
    };
    let mut protocols = Vec::new();
    for p in protos.split(',') {
        let proto = match p {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "sctp" => Protocol::Sctp,
            other => return Err(err(format!("unknown protocol `{other}`"))),
        };
        if !protocols.contains(&proto) {
            protocols.push(proto);
        }
    }
    // An IPv6 address is in brackets: `[::1]:8080:80`.
    let (host_ip, rest) = if let Some(stripped) = addr_ports.strip_prefix('[') {
        let (ip, rest) = stripped
            .split_once(']')
            .ok_or_else(|| err("missing `]` after the IPv6 address".into()))?;
        let rest = rest
            .strip_prefix(':')
            .ok_or_else(|| err("expected `:` after the IPv6 address".into()))?;
        let ip: IpAddr = ip
            .parse()
            .map_err(|_| err(format!("`{ip}` is not an IP address")))?;
        (Some(ip), rest.to_string())
    } else {
        let parts: Vec<&str> = addr_ports.split(':').collect();
        match parts.len() {
            1 | 2 => (None, addr_ports.to_string()),
            3 => {
                let ip = if parts[0].is_empty() {
                    None
                } else {
                    Some(
                        parts[0]
                            .parse::<IpAddr>()
                            .map_err(|_| err(format!("`{}` is not an IP address", parts[0])))?,
                    )
                };
                (ip, format!("{}:{}", parts[1], parts[2]))
            }
            _ => return Err(err("too many `:` (put an IPv6 address in brackets)".into())),
        }
    };
    let (host, ctr) = match rest.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", rest.as_str()),
    };
    if ctr.is_empty() {
        return Err(err("no container port".into()));
    }
    let (container_port, range) = port_range(ctr, "container port").map_err(err)?;
    let host_port = if host.is_empty() {
        0
    } else {
        let (h, hcount) = port_range(host, "host port").map_err(err)?;
        if hcount != range {
            return Err(err(format!(
                "host range has {hcount} ports but container range has {range}"
            )));
        }
        h
    };
    if host_port != 0 && u32::from(host_port) + u32::from(range) - 1 > 65535 {
        return Err(err("host port range runs past 65535".into()));
    }
    Ok(protocols
        .into_iter()
        .map(|protocol| PortMapping {
            host_ip,
            host_port,
            container_port,
            range,
            protocol,
        })
        .collect())
}

impl std::fmt::Display for PortMapping {
    /// Podman's `port` output: `80/tcp -> 0.0.0.0:8080`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ip = match self.host_ip {
            Some(IpAddr::V6(v6)) => format!("[{v6}]"),
            Some(ip) => ip.to_string(),
            None => "0.0.0.0".into(),
        };
        for i in 0..self.range {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}/{} -> {ip}:{}",
                self.container_port + i,
                self.protocol.name(),
                self.host_port
                    .saturating_add(if self.host_port == 0 { 0 } else { i })
            )?;
        }
        Ok(())
    }
}

/// `-P`: the image's exposed ports (`80/tcp`, `53/udp`, `8080`) that the
/// explicit `-p` mappings do not already publish, as `-p` values giving a
/// random host port on all addresses (as Podman). Malformed entries are
/// skipped.
pub fn publish_all(exposed: &[String], explicit: &[PortMapping]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in exposed {
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        let (Ok(port), Some(protocol)) = (
            port.parse::<u16>(),
            match proto {
                "tcp" => Some(Protocol::Tcp),
                "udp" => Some(Protocol::Udp),
                _ => None,
            },
        ) else {
            continue;
        };
        let covered = explicit.iter().any(|m| {
            m.protocol == protocol
                && (m.container_port..m.container_port.saturating_add(m.range)).contains(&port)
        });
        let value = format!("{port}/{proto}");
        if port != 0 && !covered && !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_all_skips_what_is_published() {
        let explicit = parse_publish("8080:80").unwrap();
        let exposed: Vec<String> = ["80/tcp", "53/udp", "443", "x/tcp", "9/sctp", "53/udp"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(publish_all(&exposed, &explicit), ["53/udp", "443/tcp"]);
        let m = parse_publish("53/udp").unwrap();
        assert_eq!(m[0].host_port, 0);
    }

    fn one(v: &str) -> PortMapping {
        let mut m = parse_publish(v).unwrap();
        assert_eq!(m.len(), 1, "{v}");
        m.remove(0)
    }

    #[test]
    fn forms() {
        let m = one("8080:80");
        assert_eq!(
            (
                m.host_ip,
                m.host_port,
                m.container_port,
                m.range,
                m.protocol
            ),
            (None, 8080, 80, 1, Protocol::Tcp)
        );
        let m = one("127.0.0.1:8080:80/udp");
        assert_eq!(m.host_ip, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(m.protocol, Protocol::Udp);
        assert_eq!(one("80").host_port, 0);
        assert_eq!(one(":80").host_port, 0);
        let m = one("127.0.0.1::80");
        assert_eq!((m.host_port, m.container_port), (0, 80));
        let m = one("[::1]:8080:80");
        assert_eq!(m.host_ip, Some("::1".parse().unwrap()));
        let m = one("8080-8082:80-82");
        assert_eq!((m.host_port, m.container_port, m.range), (8080, 80, 3));
        assert_eq!(one("80-81").range, 2);
        let both = parse_publish("53:53/tcp,udp").unwrap();
        assert_eq!(
            both.iter().map(|m| m.protocol).collect::<Vec<_>>(),
            [Protocol::Tcp, Protocol::Udp]
        );
    }

    #[test]
    fn errors() {
        for (v, want) in [
            ("", "no container port"),
            ("8080:", "no container port"),
            ("0:80", "out of range"),
            ("70000:80", "out of range"),
            ("x:80", "not a number"),
            ("80/icmp", "unknown protocol"),
            ("1.2.3:80:80", "not an IP address"),
            ("8080-8081:80", "2 ports"),
            ("90-80", "ends before"),
            ("::1:80:80", "too many"),
            ("[::1:80:80", "missing `]`"),
            ("65535-65535:80", ""),
        ] {
            match parse_publish(v) {
                Err(e) => {
                    assert!(e.reason.contains(want), "{v}: {e}");
                    assert!(e.to_string().contains("hint:"));
                }
                Ok(m) => assert!(want.is_empty(), "{v} parsed: {m:?}"),
            }
        }
    }

    #[test]
    fn display_like_podman_port() {
        assert_eq!(
            one("127.0.0.1:8080:80").to_string(),
            "80/tcp -> 127.0.0.1:8080"
        );
        assert_eq!(
            one("8080-8081:80-81/udp").to_string(),
            "80/udp -> 0.0.0.0:8080\n81/udp -> 0.0.0.0:8081"
        );
    }
}
