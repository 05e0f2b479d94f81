//! Host facts the network plan depends on: whether pasta is installed, the
//! IPv4 default gateway and the host's address on that route, and the
//! host's resolver configuration. Reading only; nothing is sent.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use super::plan::HostFacts;
use crate::helper::HelperPath;

/// The host's resolver configuration file.
pub const HOST_RESOLV_CONF: &str = "/etc/resolv.conf";

/// The IPv4 default route in `/proc/net/route` text: its interface and
/// gateway (the table is little-endian hex; the lowest metric wins).
pub fn parse_default_route(text: &str) -> Option<(String, Ipv4Addr)> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 8 || f[1] != "00000000" || f[7] != "00000000" {
                return None;
            }
            let gw = u32::from_str_radix(f[2], 16).ok()?;
            let metric: u32 = f[6].parse().ok()?;
            (gw != 0).then(|| (metric, f[0].to_string(), Ipv4Addr::from(gw.swap_bytes())))
        })
        .min_by_key(|(metric, _, _)| *metric)
        .map(|(_, iface, gw)| (iface, gw))
}

/// The source address the kernel would use towards `gateway`. A UDP
/// `connect` only picks a route; no packet leaves the host.
fn source_address_towards(gateway: Ipv4Addr) -> Option<Ipv4Addr> {
    let sock = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    sock.connect((gateway, 9)).ok()?;
    match sock.local_addr().ok()? {
        SocketAddr::V4(a) if !a.ip().is_unspecified() => Some(*a.ip()),
        _ => None,
    }
}

impl HostFacts {
    /// Read the facts from this host (`/proc/net/route`, the routing table,
    /// the helper search path).
    pub fn read(helpers: &HelperPath) -> HostFacts {
        let route = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
        let gateway4 = parse_default_route(&route).map(|(_, gw)| gw);
        HostFacts {
            pasta_installed: helpers.find("pasta").is_some(),
            address4: gateway4.and_then(source_address_towards),
            gateway4,
        }
    }
}

/// The host's `/etc/resolv.conf` text (empty when it cannot be read: the
/// container then gets only the helper's forwarder or `--dns`).
pub fn host_resolv_text() -> String {
    std::fs::read_to_string(HOST_RESOLV_CONF).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_route_from_proc() {
        let text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n\
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n\
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assert_eq!(
            parse_default_route(text),
            Some(("eth0".into(), Ipv4Addr::new(192, 0, 2, 1)))
        );
        assert_eq!(parse_default_route("Iface\tDestination\n"), None);
        assert_eq!(parse_default_route(""), None);
    }
}
