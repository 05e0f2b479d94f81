//! Unprivileged ICMP echo ("ping") inside a container: like Podman, rctl
//! sets `net.ipv4.ping_group_range` of every network namespace it makes
//! to cover every group mapped into rctl's user namespace, so `ping`
//! works for any user of the container through ICMP datagram sockets
//! (no CAP_NET_RAW needed). The host's own range only matters with
//! `--network host` (`rctl check` reports it).

/// The range covering every group id of a `/proc/self/gid_map` text:
/// `0 MAX` (pure). `None` when nothing is mapped.
pub fn range_for(gid_map: &str) -> Option<String> {
    let top = gid_map
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace().map(|v| v.parse::<u64>().ok());
            let inside = f.next()??;
            let _outside = f.next()??;
            let count = f.next()??;
            (count > 0).then(|| inside + count - 1)
        })
        .max()?;
    // The kernel takes gids up to 2^31 - 2 here.
    Some(format!("0 {}", top.min(2_147_483_646)))
}

/// Whether a `ping_group_range` text (`LOW HIGH`) includes `gid` (pure).
pub fn range_allows(range: &str, gid: u32) -> bool {
    let mut it = range.split_whitespace().map(|v| v.parse::<u64>().ok());
    match (it.next().flatten(), it.next().flatten()) {
        (Some(lo), Some(hi)) => lo <= u64::from(gid) && u64::from(gid) <= hi,
        _ => false,
    }
}

/// Whether the host's range lets the user's group ping: what a container
/// with `--network host` gets (others get their own range from rctl).
pub fn host_allows(gid: u32) -> bool {
    std::fs::read_to_string("/proc/sys/net/ipv4/ping_group_range")
        .is_ok_and(|r| range_allows(&r, gid))
}

/// Set the range in the calling process's current network namespace
/// (the opener's namespace decides which one `/proc/sys/net` shows).
pub fn allow_in_current_namespace() -> std::io::Result<()> {
    let map = std::fs::read_to_string("/proc/self/gid_map")?;
    match range_for(&map) {
        Some(r) => std::fs::write("/proc/sys/net/ipv4/ping_group_range", r),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_ranges() {
        assert!(!range_allows("1\t0\n", 1000));
        assert!(range_allows("0\t2147483647\n", 1000));
        assert!(!range_allows("0 999", 1000));
        assert!(!range_allows("", 0));
    }

    #[test]
    fn ranges() {
        assert_eq!(
            range_for("         0       1000          1\n         1     100000      65536\n")
                .as_deref(),
            Some("0 65536")
        );
        assert_eq!(range_for("0 1000 1\n").as_deref(), Some("0 0"));
        assert_eq!(range_for("").as_deref(), None);
        assert_eq!(
            range_for("0 0 4294967295\n").as_deref(),
            Some("0 2147483646")
        );
    }
}
