//! The name files rctl generates for a container: `/etc/resolv.conf`
//! content and the `/etc/hosts` entries rctl adds (pure; the runtime writes
//! and bind-mounts the files, never into the image).

use std::net::IpAddr;

use super::mode::NetworkMode;
use super::plan::{HostTarget, NetworkPlan};

/// The parts of a `resolv.conf` rctl carries over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolv {
    /// `nameserver` values as written (an IPv6 one may carry `%zone`).
    pub nameservers: Vec<String>,
    pub search: Vec<String>,
    pub options: Vec<String>,
}

/// Parse resolv.conf text: `nameserver`, `search` (and `domain`, which the
/// resolver treats as a one-entry search list; the last of the two wins),
/// `options`; comments and unknown lines are ignored.
pub fn parse_resolv(text: &str) -> Resolv {
    let mut r = Resolv::default();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("");
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => {
                if let Some(ns) = words.next() {
                    r.nameservers.push(ns.to_string());
                }
            }
            Some("search") | Some("domain") => r.search = words.map(str::to_string).collect(),
            Some("options") => r.options.extend(words.map(str::to_string)),
            _ => {}
        }
    }
    r
}

/// A host resolver usable from another network namespace: a valid address
/// that is neither loopback (it would be the container's own) nor
/// link-local with a zone (that names a host interface).
fn reachable_from_container(ns: &str) -> Option<IpAddr> {
    let ip: IpAddr = ns.parse().ok()?;
    (!ip.is_loopback()).then_some(ip)
}

/// The container's `/etc/resolv.conf`.
///
/// Nameservers: `--dns` if given; otherwise, per mode, the host's resolvers
/// as they are (`host`), or the helper's DNS forwarder first (pasta's
/// `--dns-forward` address, slirp4netns's cidr + 3; both relay the query
/// from the host side, so a loopback-only host resolver still serves the
/// container) followed by the host's
/// resolvers minus loopback ones. Search domains and options: the host's
/// unless `--dns-search`/`--dns-option` replace them.
///
/// With `--dns none` (`plan.dns.disabled`) the caller writes no file; this
/// function still returns what the file would hold.
pub fn resolv_conf(plan: &NetworkPlan, host_resolv_text: &str) -> String {
    let host = parse_resolv(host_resolv_text);
    let servers: Vec<String> = if !plan.dns.servers.is_empty() {
        plan.dns.servers.iter().map(IpAddr::to_string).collect()
    } else if plan.mode == NetworkMode::Host {
        host.nameservers.clone()
    } else {
        let forwarder = match &plan.mode {
            NetworkMode::Slirp4netns(o) => Some(IpAddr::V4(o.dns())),
            _ => plan.dns_forward,
        };
        let mut v: Vec<IpAddr> = forwarder.into_iter().collect();
        for ip in host
            .nameservers
            .iter()
            .filter_map(|n| reachable_from_container(n))
        {
            if !v.contains(&ip) {
                v.push(ip);
            }
        }
        v.iter().map(IpAddr::to_string).collect()
    };
    let search = plan.dns.search.as_ref().unwrap_or(&host.search);
    let options = plan.dns.options.as_ref().unwrap_or(&host.options);
    let mut out = String::new();
    if !search.is_empty() {
        out.push_str(&format!("search {}\n", search.join(" ")));
    }
    for s in servers {
        out.push_str(&format!("nameserver {s}\n"));
    }
    if !options.is_empty() {
        out.push_str(&format!("options {}\n", options.join(" ")));
    }
    out
}

/// The names rctl gives the host inside a container.
pub const HOST_NAMES: [&str; 2] = ["host.containers.internal", "host.docker.internal"];

/// The `/etc/hosts` entries rctl adds for a container, in the order they
/// should appear (a resolver takes the first match): `--add-host` entries,
/// then the container's hostname and name at its own address, then
/// `host.containers.internal` (and `host.docker.internal`) at the host's
/// address as seen from the container (see `plan::host_address` for the
/// rule per mode). The runtime appends these to the base file (the image's
/// `/etc/hosts`, or localhost lines).
pub fn hosts_entries(plan: &NetworkPlan, name: &str, hostname: &str) -> Vec<(IpAddr, Vec<String>)> {
    let mut out = Vec::new();
    for h in &plan.add_hosts {
        let ip = match h.target {
            HostTarget::Ip(ip) => Some(ip),
            HostTarget::HostGateway => plan.host_address,
        };
        if let Some(ip) = ip {
            out.push((ip, h.names.clone()));
        }
    }
    if let Some(ip) = plan.container_address {
        let mut names: Vec<String> = Vec::new();
        for n in [hostname, name] {
            if !n.is_empty() && !names.iter().any(|m| m == n) {
                names.push(n.to_string());
            }
        }
        if !names.is_empty() {
            out.push((ip, names));
        }
    }
    if let Some(ip) = plan.host_address {
        out.push((ip, HOST_NAMES.iter().map(|s| s.to_string()).collect()));
    }
    out
}

/// Render entries as `/etc/hosts` lines (`IP<TAB>NAME NAME`).
pub fn hosts_text(entries: &[(IpAddr, Vec<String>)]) -> String {
    entries
        .iter()
        .map(|(ip, names)| format!("{ip}\t{}\n", names.join(" ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::plan::{HostFacts, NetworkRequest};
    use std::net::Ipv4Addr;

    const HOST: &str = "# generated\ndomain corp.example\nsearch a.example b.example\nnameserver 127.0.0.53\nnameserver 192.0.2.53 # office\nnameserver ::1\nnameserver 2001:db8::53\nnameserver fe80::1%eth0\noptions edns0 trust-ad\n";

    fn plan(net: &str, f: impl FnOnce(&mut NetworkRequest)) -> NetworkPlan {
        let mut r = NetworkRequest {
            network: Some(net.into()),
            ..Default::default()
        };
        f(&mut r);
        let facts = HostFacts {
            pasta_installed: true,
            gateway4: Some(Ipv4Addr::new(192, 0, 2, 1)),
            address4: Some(Ipv4Addr::new(192, 0, 2, 2)),
        };
        NetworkPlan::build(&r, &facts).unwrap()
    }

    #[test]
    fn parse_host_resolv() {
        let r = parse_resolv(HOST);
        assert_eq!(r.nameservers.len(), 5);
        assert_eq!(r.search, ["a.example", "b.example"]);
        assert_eq!(r.options, ["edns0", "trust-ad"]);
    }

    #[test]
    fn resolv_per_mode() {
        assert_eq!(
            resolv_conf(&plan("pasta", |_| {}), HOST),
            "search a.example b.example\nnameserver 169.254.1.1\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions edns0 trust-ad\n"
        );
        assert_eq!(
            resolv_conf(&plan("slirp4netns:cidr=10.7.0.0/24", |_| {}), HOST),
            "search a.example b.example\nnameserver 10.7.0.3\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions edns0 trust-ad\n"
        );
        assert_eq!(
            resolv_conf(&plan("none", |_| {}), "nameserver 127.0.0.1\n"),
            ""
        );
        let host = resolv_conf(&plan("host", |_| {}), HOST);
        assert!(host.contains("nameserver 127.0.0.53\n"), "{host}");
        assert!(host.contains("nameserver fe80::1%eth0\n"), "{host}");
        // The forwarder is not listed twice when the host lists it too.
        let twice = resolv_conf(&plan("pasta", |_| {}), "nameserver 169.254.1.1\n");
        assert_eq!(twice, "nameserver 169.254.1.1\n");
    }

    #[test]
    fn resolv_overrides() {
        let p = plan("pasta", |r| {
            r.dns = vec!["192.0.2.99".into()];
            r.dns_search = vec![".".into()];
            r.dns_option = vec!["ndots:1".into()];
        });
        assert_eq!(
            resolv_conf(&p, HOST),
            "nameserver 192.0.2.99\noptions ndots:1\n"
        );
        let p = plan("pasta:--dns-forward,10.0.0.5", |r| {
            r.dns_search = vec!["x.example".into()];
        });
        assert_eq!(
            resolv_conf(&p, "nameserver 127.0.0.53\n"),
            "search x.example\n"
        );
    }

    #[test]
    fn hosts_per_mode() {
        let p = plan("pasta", |r| {
            r.add_host = vec!["db;db.local:192.0.2.7".into(), "gw:host-gateway".into()]
        });
        let e = hosts_entries(&p, "web", "web");
        assert_eq!(
            hosts_text(&e),
            "192.0.2.7\tdb db.local\n192.0.2.1\tgw\n192.0.2.2\tweb\n192.0.2.1\thost.containers.internal host.docker.internal\n"
        );
        let e = hosts_entries(&plan("slirp4netns", |_| {}), "web", "h1");
        assert_eq!(
            hosts_text(&e),
            "10.0.2.100\th1 web\n192.0.2.2\thost.containers.internal host.docker.internal\n"
        );
        let e = hosts_entries(
            &plan("slirp4netns:allow_host_loopback=true", |_| {}),
            "web",
            "web",
        );
        assert_eq!(e[1].0, "10.0.2.2".parse::<IpAddr>().unwrap());
        let e = hosts_entries(
            &plan("none", |r| r.add_host = vec!["gw:host-gateway".into()]),
            "c",
            "c",
        );
        assert_eq!(hosts_text(&e), "127.0.0.1\tc\n");
        assert!(hosts_entries(&plan("container:other", |_| {}), "c", "c").is_empty());
    }
}
