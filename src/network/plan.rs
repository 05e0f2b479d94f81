//! The network plan of one container: the mode, the published ports, DNS
//! and extra host names, resolved from the user's flags and a few host facts
//! (pure; `host.rs` reads the facts, `attach.rs` executes the plan).

use std::net::{IpAddr, Ipv4Addr};

use super::mode::{self, ModeError, NetworkMode, PASTA_DNS_FORWARD};
use super::publish::{PortMapping, Protocol, PublishError, parse_publish};

/// What the user typed (`--network`, `-p`, `--dns*`, `--add-host`), before
/// any checking. `run`/`create` fill this from their flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkRequest {
    pub network: Option<String>,
    pub publish: Vec<String>,
    pub dns: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_option: Vec<String>,
    pub add_host: Vec<String>,
}

/// Facts about the host the plan depends on (read by `host::HostFacts::read`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    /// Whether `pasta` was found (decides the default mode).
    pub pasta_installed: bool,
    /// The IPv4 default gateway; pasta copies it into the container and
    /// maps it to the host's loopback.
    pub gateway4: Option<Ipv4Addr>,
    /// The host's IPv4 address on the default-route interface.
    pub address4: Option<Ipv4Addr>,
}

/// DNS settings for the container's `/etc/resolv.conf`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DnsConfig {
    /// `--dns`: replaces the host's resolvers.
    pub servers: Vec<IpAddr>,
    /// `--dns-search`: replaces the host's search domains (`.` clears them).
    pub search: Option<Vec<String>>,
    /// `--dns-option`: replaces the host's options.
    pub options: Option<Vec<String>>,
    /// `--dns none`: rctl writes no `/etc/resolv.conf` (the image's stays).
    pub disabled: bool,
}

/// Where an `--add-host` name points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostTarget {
    Ip(IpAddr),
    /// `host-gateway`: the host as seen from the container.
    HostGateway,
}

/// One `--add-host NAME[;NAME...]:IP` entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddHost {
    pub names: Vec<String>,
    pub target: HostTarget,
}

/// The resolved network of one container.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetworkPlan {
    pub mode: NetworkMode,
    /// Published ports; a host port of 0 is chosen when the plan is attached.
    pub ports: Vec<PortMapping>,
    pub dns: DnsConfig,
    pub add_hosts: Vec<AddHost>,
    /// The host's address as seen from the container
    /// (`host.containers.internal`); `None` when the mode cannot reach it.
    pub host_address: Option<IpAddr>,
    /// A DNS forwarder inside the container (pasta's `--dns-forward`).
    pub dns_forward: Option<IpAddr>,
    /// The container's own address, for its name in `/etc/hosts`.
    pub container_address: Option<IpAddr>,
}

/// A network flag that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error(transparent)]
    Mode(#[from] ModeError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(
        "invalid --dns `{0}`: not an IP address\nhint: give a resolver address, e.g. --dns 192.0.2.53, or --dns none"
    )]
    Dns(String),
    #[error("invalid --{flag} `{value}`: {reason}")]
    DnsWord {
        flag: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error(
        "invalid --add-host `{value}`: {reason}\nhint: use NAME:IP (several names as NAME1;NAME2:IP), e.g. --add-host db.local:192.0.2.7, or NAME:host-gateway"
    )]
    AddHost { value: String, reason: String },
    #[error("cannot publish ports with --network {mode}\nhint: {hint}")]
    PortsWithoutOwnNetwork { mode: String, hint: &'static str },
    #[error(
        "slirp4netns cannot publish on the IPv6 address {0}\nhint: publish on an IPv4 address, or use --network pasta"
    )]
    SlirpIpv6(IpAddr),
    #[error(
        "{helper} cannot forward {proto} ports (container port {port})\nhint: publish tcp or udp ports only"
    )]
    Protocol {
        helper: &'static str,
        proto: &'static str,
        port: u16,
    },
}

fn host_name_ok(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 253
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
}

/// Parse one `--add-host` value: `NAME:IP`, `NAME=IP`, `N1;N2:IP`,
/// `NAME:host-gateway`; an IPv6 address follows the first `:`
/// (`v6host:2001:db8::1`) and may be bracketed.
pub fn parse_add_host(value: &str) -> Result<AddHost, PlanError> {
    let err = |reason: &str| PlanError::AddHost {
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let cut = match (value.find(':'), value.find('=')) {
        (Some(c), Some(e)) => c.min(e),
        (Some(i), None) | (None, Some(i)) => i,
        (None, None) => return Err(err("missing `:IP`")),
    };
    let (names, ip) = (&value[..cut], &value[cut + 1..]);
    let names: Vec<String> = names.split(';').map(str::to_string).collect();
    if names.iter().any(|n| n.is_empty()) {
        return Err(err("empty host name"));
    }
    if let Some(bad) = names.iter().find(|n| !host_name_ok(n)) {
        return Err(err(&format!("`{bad}` is not a valid host name")));
    }
    let target = if ip == "host-gateway" {
        HostTarget::HostGateway
    } else {
        let bare = ip
            .strip_prefix('[')
            .and_then(|i| i.strip_suffix(']'))
            .unwrap_or(ip);
        if bare.is_empty() {
            return Err(err("missing IP address"));
        }
        HostTarget::Ip(
            bare.parse()
                .map_err(|_| err(&format!("`{ip}` is not an IP address")))?,
        )
    };
    Ok(AddHost { names, target })
}

fn dns_words(
    flag: &'static str,
    values: &[String],
    clear: bool,
) -> Result<Option<Vec<String>>, PlanError> {
    if values.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for v in values {
        if clear && v == "." {
            out.clear();
            continue;
        }
        if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PlanError::DnsWord {
                flag,
                value: v.clone(),
                reason: "empty or contains whitespace",
            });
        }
        out.push(v.clone());
    }
    Ok(Some(out))
}

fn parse_dns(req: &NetworkRequest) -> Result<DnsConfig, PlanError> {
    let mut dns = DnsConfig::default();
    for v in &req.dns {
        if v == "none" {
            dns.disabled = true;
            continue;
        }
        dns.servers
            .push(v.parse().map_err(|_| PlanError::Dns(v.clone()))?);
    }
    dns.search = dns_words("dns-search", &req.dns_search, true)?;
    dns.options = dns_words("dns-option", &req.dns_option, false)?;
    Ok(dns)
}

/// The host as seen from the container, per mode (the rule is documented in
/// `docs/architecture.md`, Networking):
/// - pasta: the host's IPv4 default gateway, which pasta copies into the
///   container and maps to the host's loopback (unless `--no-map-gw`, then
///   nothing: the gateway is the real router and the container's own
///   address is the host's);
/// - slirp4netns: `10.0.2.2` (cidr + 2) with `allow_host_loopback=true`,
///   which slirp4netns maps to the host's 127.0.0.1; otherwise the host's
///   own address on its default-route interface (services bound there or
///   on 0.0.0.0 are reachable, loopback-only ones are not);
/// - host: 127.0.0.1 (same network namespace);
/// - none, container:NAME: none (no route, or the other container's files).
pub fn host_address(mode: &NetworkMode, facts: &HostFacts) -> Option<IpAddr> {
    match mode {
        NetworkMode::Pasta(o) if o.maps_gateway_to_host() => facts.gateway4.map(IpAddr::V4),
        NetworkMode::Pasta(_) => None,
        NetworkMode::Slirp4netns(o) if o.allow_host_loopback => Some(IpAddr::V4(o.gateway())),
        NetworkMode::Slirp4netns(_) | NetworkMode::Named { .. } => facts.address4.map(IpAddr::V4),
        NetworkMode::Host => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        NetworkMode::None | NetworkMode::Container { .. } | NetworkMode::Pod { .. } => None,
    }
}

/// The container's own address: pasta copies the host's address into the
/// container; slirp4netns gives it cidr + 100; without a network (or with
/// the host's) its name points at loopback.
pub fn container_address(mode: &NetworkMode, facts: &HostFacts) -> Option<IpAddr> {
    match mode {
        NetworkMode::Pasta(_) => facts.address4.map(IpAddr::V4),
        NetworkMode::Slirp4netns(o) => Some(IpAddr::V4(o.guest())),
        NetworkMode::None | NetworkMode::Host => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        NetworkMode::Container { .. } | NetworkMode::Named { .. } | NetworkMode::Pod { .. } => None,
    }
}

impl NetworkPlan {
    /// Things that will not work as the user may expect, for `warn:` lines.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let NetworkMode::Pasta(o) = &self.mode {
            if o.maps_gateway_to_host() && self.host_address.is_none() {
                w.push("this host has no IPv4 default route: pasta may refuse to start and host.containers.internal has no address; use --network slirp4netns".to_string());
            }
        }
        if let NetworkMode::Slirp4netns(o) = &self.mode {
            if !o.allow_host_loopback && self.ports.iter().any(|p| p.protocol == Protocol::Udp) {
                w.push("slirp4netns drops UDP replies to clients on this host's loopback (they appear as the blocked host address); use pasta, or slirp4netns:allow_host_loopback=true".to_string());
            }
        }
        w
    }

    /// Check the user's flags and resolve them against the host facts.
    pub fn build(req: &NetworkRequest, facts: &HostFacts) -> Result<NetworkPlan, PlanError> {
        let mode = match req.network.as_deref() {
            Some(v) => mode::parse_mode(v)?,
            None => None,
        }
        .unwrap_or_else(|| mode::default_mode(facts.pasta_installed));
        let mut ports = Vec::new();
        for p in &req.publish {
            ports.extend(parse_publish(p)?);
        }
        if !ports.is_empty() {
            let hint = match &mode {
                NetworkMode::None => Some("a container without network has no ports to publish"),
                NetworkMode::Host => {
                    Some("with --network host the container's ports are the host's; drop -p")
                }
                NetworkMode::Container { .. } => {
                    Some("publish the ports on the container that owns the network")
                }
                _ => None,
            };
            if let Some(hint) = hint {
                return Err(PlanError::PortsWithoutOwnNetwork {
                    mode: mode.name(),
                    hint,
                });
            }
        }
        if let Some(helper) = match &mode {
            NetworkMode::Pasta(_) => Some("pasta"),
            NetworkMode::Slirp4netns(_) => Some("slirp4netns"),
            _ => None,
        } {
            if let Some(p) = ports.iter().find(|p| p.protocol == Protocol::Sctp) {
                return Err(PlanError::Protocol {
                    helper,
                    proto: "sctp",
                    port: p.container_port,
                });
            }
        }
        if let NetworkMode::Slirp4netns(_) = &mode {
            // Its API's add_hostfwd takes an IPv4 host_addr only.
            if let Some(ip) = ports.iter().filter_map(|p| p.host_ip).find(IpAddr::is_ipv6) {
                return Err(PlanError::SlirpIpv6(ip));
            }
        }
        let dns = parse_dns(req)?;
        let add_hosts = req
            .add_host
            .iter()
            .map(|v| parse_add_host(v))
            .collect::<Result<_, _>>()?;
        let dns_forward = match &mode {
            NetworkMode::Pasta(o) if !o.has("--dns-forward", None) => {
                Some(IpAddr::V4(PASTA_DNS_FORWARD))
            }
            _ => None,
        };
        Ok(NetworkPlan {
            host_address: host_address(&mode, facts),
            container_address: container_address(&mode, facts),
            mode,
            ports,
            dns,
            add_hosts,
            dns_forward,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::mode::SlirpOptions;

    fn facts() -> HostFacts {
        HostFacts {
            pasta_installed: true,
            gateway4: Some(Ipv4Addr::new(192, 0, 2, 1)),
            address4: Some(Ipv4Addr::new(192, 0, 2, 2)),
        }
    }

    fn req(network: &str) -> NetworkRequest {
        NetworkRequest {
            network: Some(network.into()),
            ..Default::default()
        }
    }

    #[test]
    fn default_mode_follows_pasta() {
        let p = NetworkPlan::build(&NetworkRequest::default(), &facts()).unwrap();
        assert_eq!(p.mode.name(), "pasta");
        assert_eq!(p.dns_forward, Some(IpAddr::V4(PASTA_DNS_FORWARD)));
        let no_pasta = HostFacts {
            pasta_installed: false,
            ..facts()
        };
        let p = NetworkPlan::build(&NetworkRequest::default(), &no_pasta).unwrap();
        assert_eq!(p.mode.name(), "slirp4netns");
        assert_eq!(p.dns_forward, None);
    }

    #[test]
    fn host_address_per_mode() {
        let f = facts();
        for (net, want) in [
            ("pasta", Some("192.0.2.1")),
            ("pasta:--no-map-gw", None),
            ("slirp4netns", Some("192.0.2.2")),
            ("slirp4netns:allow_host_loopback=true", Some("10.0.2.2")),
            (
                "slirp4netns:allow_host_loopback=true,cidr=10.5.0.0/16",
                Some("10.5.0.2"),
            ),
            ("host", Some("127.0.0.1")),
            ("none", None),
            ("container:x", None),
        ] {
            let p = NetworkPlan::build(&req(net), &f).unwrap();
            assert_eq!(p.host_address, want.map(|w| w.parse().unwrap()), "{net}");
        }
        let bare = HostFacts::default();
        let p = NetworkPlan::build(&req("pasta"), &bare).unwrap();
        assert!(p.warnings()[0].contains("no IPv4 default route"));
        assert_eq!(
            host_address(&NetworkMode::Pasta(Default::default()), &bare),
            None
        );
        assert_eq!(
            host_address(&NetworkMode::Slirp4netns(SlirpOptions::default()), &bare),
            None
        );
    }

    #[test]
    fn ports_need_an_own_network() {
        for net in ["none", "host", "container:db"] {
            let mut r = req(net);
            r.publish = vec!["8080:80".into()];
            let e = NetworkPlan::build(&r, &facts()).unwrap_err();
            assert!(
                matches!(e, PlanError::PortsWithoutOwnNetwork { .. }),
                "{net}: {e}"
            );
            assert!(e.to_string().contains("hint:"));
        }
        let mut r = req("pasta");
        r.publish = vec!["127.0.0.1:8080:80".into(), "53:53/udp".into()];
        let p = NetworkPlan::build(&r, &facts()).unwrap();
        assert_eq!(p.ports.len(), 2);
        assert!(p.warnings().is_empty());
        let mut s = req("slirp4netns");
        s.publish = vec!["53:53/udp".into()];
        let p = NetworkPlan::build(&s, &facts()).unwrap();
        assert!(p.warnings()[0].contains("UDP replies"));
        s.publish = vec!["[::1]:8080:80".into()];
        assert!(matches!(
            NetworkPlan::build(&s, &facts()),
            Err(PlanError::SlirpIpv6(_))
        ));
        r.publish = vec!["9:9/sctp".into()];
        assert!(matches!(
            NetworkPlan::build(&r, &facts()),
            Err(PlanError::Protocol { .. })
        ));
        r.publish = vec!["x".into()];
        assert!(matches!(
            NetworkPlan::build(&r, &facts()),
            Err(PlanError::Publish(_))
        ));
    }

    #[test]
    fn dns_flags() {
        let r = NetworkRequest {
            dns: vec!["192.0.2.53".into(), "2001:db8::53".into()],
            dns_search: vec!["example.org".into(), "corp.example".into()],
            dns_option: vec!["ndots:2".into()],
            ..Default::default()
        };
        let p = NetworkPlan::build(&r, &facts()).unwrap();
        assert_eq!(p.dns.servers.len(), 2);
        assert_eq!(p.dns.search.as_ref().unwrap().len(), 2);
        assert_eq!(p.dns.options, Some(vec!["ndots:2".to_string()]));
        let r = NetworkRequest {
            dns_search: vec![".".into()],
            dns: vec!["none".into()],
            ..Default::default()
        };
        let p = NetworkPlan::build(&r, &facts()).unwrap();
        assert_eq!(p.dns.search, Some(vec![]));
        assert!(p.dns.disabled);
        for bad in [
            NetworkRequest {
                dns: vec!["dns.example".into()],
                ..Default::default()
            },
            NetworkRequest {
                dns_search: vec!["a b".into()],
                ..Default::default()
            },
            NetworkRequest {
                dns_option: vec!["".into()],
                ..Default::default()
            },
        ] {
            assert!(NetworkPlan::build(&bad, &facts()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn add_host_forms() {
        let h = parse_add_host("db:192.0.2.7").unwrap();
        assert_eq!(h.names, ["db"]);
        assert_eq!(h.target, HostTarget::Ip("192.0.2.7".parse().unwrap()));
        let h = parse_add_host("a.example;b:2001:db8::1").unwrap();
        assert_eq!(h.names, ["a.example", "b"]);
        assert_eq!(h.target, HostTarget::Ip("2001:db8::1".parse().unwrap()));
        let h = parse_add_host("v6=[::1]").unwrap();
        assert_eq!(h.target, HostTarget::Ip("::1".parse().unwrap()));
        assert_eq!(
            parse_add_host("gw:host-gateway").unwrap().target,
            HostTarget::HostGateway
        );
        for (v, want) in [
            ("db", "missing `:IP`"),
            (":1.2.3.4", "empty host name"),
            ("a;;b:1.2.3.4", "empty host name"),
            ("d b:1.2.3.4", "not a valid host name"),
            ("db:", "missing IP"),
            ("db:300.1.1.1", "not an IP address"),
            ("db:example.org", "not an IP address"),
        ] {
            let e = parse_add_host(v).unwrap_err();
            let text = e.to_string();
            assert!(text.contains(want), "{v}: {text}");
            assert!(text.contains("hint:"), "{v}");
        }
    }
}
