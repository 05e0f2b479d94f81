//! User-defined networks (`rctl network create NAME`, `--network NAME`):
//! every network of a user lives in one shared network namespace held by
//! a small process (`rctl network-infra`, hidden), connected outward by
//! one pasta (or slirp4netns). Each network is a bridge in that namespace
//! with the network's gateway address; each container on it keeps its own
//! network namespace, joined to the bridge by a veth pair (`eth0` inside,
//! `vethXXXXXXXX` on the bridge), all made with `ip` (iproute2) as root of
//! rctl's user namespace. Names: every member's `/etc/hosts` lists the
//! other members (name, `--network-alias`es) at their addresses, and the
//! running members' files get a line for a member that starts.
//!
//! Records: `ROOT/networks/<name>.json`; the shared namespace's holder:
//! `ROOT/networks/.infra.json` (pid + start time + the helper's handle).

use std::io::{BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::{NetworkHandle, NetworkMode, NetworkPlan};
use crate::container::store::Store;
use crate::container::{Container, Status};
use crate::helper::{Helper, HelperPath};

/// One user-defined network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserNetwork {
    pub name: String,
    pub id: String,
    pub subnet: Ipv4Addr,
    pub prefix: u8,
    pub gateway: Ipv4Addr,
    /// The bridge's name in the shared namespace (at most 15 bytes).
    pub bridge: String,
    /// Unix nanoseconds.
    pub created: u128,
}

impl UserNetwork {
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.subnet, self.prefix)
    }
}

/// Parse `--subnet A.B.C.D/N` (prefix 16-28, no host bits).
pub fn parse_subnet(v: &str) -> Result<(Ipv4Addr, u8), String> {
    let (ip, len) = v
        .split_once('/')
        .ok_or_else(|| format!("`{v}` has no /PREFIX"))?;
    let ip: Ipv4Addr = ip
        .parse()
        .map_err(|_| format!("`{ip}` is not an IPv4 address"))?;
    let len: u8 = len
        .parse()
        .ok()
        .filter(|l| (16..=28).contains(l))
        .ok_or_else(|| format!("`{v}`: the prefix must be 16-28"))?;
    if u32::from(ip) & !mask(len) != 0 {
        return Err(format!("`{v}` has host bits set"));
    }
    Ok((ip, len))
}

fn mask(len: u8) -> u32 {
    if len == 0 { 0 } else { u32::MAX << (32 - len) }
}

/// Whether two subnets share an address.
pub fn overlaps(a: (Ipv4Addr, u8), b: (Ipv4Addr, u8)) -> bool {
    let m = mask(a.1.min(b.1));
    u32::from(a.0) & m == u32::from(b.0) & m
}

/// The first `10.89.N.0/24` that overlaps none of `used`.
pub fn pick_subnet(used: &[(Ipv4Addr, u8)]) -> Option<(Ipv4Addr, u8)> {
    (0..=255u8)
        .map(|n| (Ipv4Addr::new(10, 89, n, 0), 24))
        .find(|s| !used.iter().any(|u| overlaps(*s, *u)))
}

/// The first free member address of a network (gateway is `.1`).
pub fn pick_address(net: &UserNetwork, used: &[Ipv4Addr]) -> Option<Ipv4Addr> {
    let base = u32::from(net.subnet);
    let last = base | !mask(net.prefix);
    (base + 2..last)
        .map(Ipv4Addr::from)
        .find(|a| *a != net.gateway && !used.contains(a))
}

/// The `/etc/hosts` line of one member: its address, name and aliases.
pub fn member_line(ip: IpAddr, name: &str, aliases: &[String]) -> String {
    let mut names = vec![name.to_string()];
    names.extend(aliases.iter().filter(|a| *a != name).cloned());
    format!("{ip}\t{}\n", names.join(" "))
}

/// The per-user network records.
pub struct NetStore {
    dir: PathBuf,
}

impl NetStore {
    pub fn new(root: &Path) -> NetStore {
        NetStore {
            dir: root.join("networks"),
        }
    }

    fn lock(&self) -> Result<crate::pod::Lock> {
        crate::ondisk::create_private_dir(&self.dir)?;
        crate::pod::lock_file(&self.dir.join(".lock"))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    pub fn list(&self) -> Result<Vec<UserNetwork>> {
        let entries = match fs_err::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries {
            let p = e?.path();
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') || !name.ends_with(".json") {
                continue;
            }
            let n: UserNetwork = serde_json::from_slice(&fs_err::read(&p)?)
                .with_context(|| format!("parse `{}`", p.display()))?;
            out.push(n);
        }
        out.sort_by_key(|n| n.created);
        Ok(out)
    }

    pub fn load(&self, name: &str) -> Result<UserNetwork> {
        self.list()?
            .into_iter()
            .find(|n| n.name == name || (name.len() >= 6 && n.id.starts_with(name)))
            .with_context(|| {
                format!(
                    "no network `{name}`\nhint: create it with `rctl network create {name}` (list them with `rctl network ls`)"
                )
            })
    }

    /// Create a network: a free `10.89.N.0/24` unless `subnet` is given.
    pub fn create(&self, name: &str, subnet: Option<&str>) -> Result<UserNetwork> {
        if !crate::container::store::valid_name(name)
            || matches!(
                name,
                "none" | "host" | "pasta" | "slirp4netns" | "bridge" | "private" | "default"
            )
        {
            bail!(
                "invalid network name `{name}`: use letters, digits, `_`, `.` and `-`, not a mode name (none, host, pasta, slirp4netns, bridge)"
            );
        }
        let _lock = self.lock()?;
        let all = self.list()?;
        if all.iter().any(|n| n.name == name) {
            bail!(
                "the network name `{name}` is already in use\nhint: remove it (`rctl network rm {name}`) or pick another name"
            );
        }
        let used: Vec<(Ipv4Addr, u8)> = all.iter().map(|n| (n.subnet, n.prefix)).collect();
        let (subnet, prefix) = match subnet {
            Some(s) => {
                let s = parse_subnet(s).map_err(|r| {
                    anyhow::anyhow!(
                        "invalid --subnet {r}\nhint: give an IPv4 network such as 10.90.0.0/24"
                    )
                })?;
                if let Some(o) = all.iter().find(|n| overlaps(s, (n.subnet, n.prefix))) {
                    bail!(
                        "subnet {}/{} overlaps network `{}` ({})\nhint: pick another --subnet, or none for a free one",
                        s.0,
                        s.1,
                        o.name,
                        o.cidr()
                    );
                }
                s
            }
            None => pick_subnet(&used).context("no free 10.89.N.0/24 subnet is left")?,
        };
        let mut b = [0u8; 32];
        fs_err::File::open("/dev/urandom")?.read_exact(&mut b)?;
        let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let n = UserNetwork {
            name: name.to_string(),
            bridge: format!("rctl-{}", &id[..8]),
            id,
            subnet,
            prefix,
            gateway: Ipv4Addr::from(u32::from(subnet) + 1),
            created: crate::container::now(),
        };
        crate::ondisk::write_atomic(&self.path(name), &serde_json::to_vec_pretty(&n)?)?;
        Ok(n)
    }

    fn remove_record(&self, name: &str) -> Result<()> {
        fs_err::remove_file(self.path(name))?;
        Ok(())
    }
}

/// The network a container is on.
pub fn network_of(c: &Container) -> Option<&str> {
    match c.config.net.as_ref().map(|p| &p.mode) {
        Some(NetworkMode::Named { name }) => Some(name),
        _ => None,
    }
}

/// Containers on network `name`, any state.
pub fn users(store: &Store, name: &str) -> Result<Vec<Container>> {
    Ok(store
        .list()?
        .into_iter()
        .filter(|c| network_of(c) == Some(name))
        .collect())
}

/// Complete a container's plan for `--network NAME` at create: the
/// network must exist, gets the next free address; tcp and udp ports can
/// be published (the monitor forwards them: `monitor::forward`).
pub fn prepare_member(root: &Path, plan: &mut NetworkPlan) -> Result<()> {
    let NetworkMode::Named { name } = &plan.mode else {
        return Ok(());
    };
    let nets = NetStore::new(root);
    let net = nets.load(name)?;
    plan.mode = NetworkMode::Named {
        name: net.name.clone(),
    };
    if let Some(m) = plan
        .ports
        .iter()
        .find(|m| m.protocol == super::publish::Protocol::Sctp)
    {
        bail!(
            "sctp ports cannot be published for a container on network `{}` (`{m}`)\nhint: publish tcp or udp ports",
            net.name
        );
    }
    let _lock = nets.lock()?;
    let used: Vec<Ipv4Addr> = users(&Store::new(root), &net.name)?
        .iter()
        .filter_map(|c| match c.config.net.as_ref()?.container_address? {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(_) => None,
        })
        .collect();
    let ip = pick_address(&net, &used)
        .with_context(|| format!("network `{}` ({}) is full", net.name, net.cidr()))?;
    plan.container_address = Some(IpAddr::V4(ip));
    Ok(())
}

/// Lines for the `/etc/hosts` of a member starting now (the other members
/// with an address), and announce it to the running members (their files
/// are bind-mounted: appended in place).
pub fn exchange_hosts(store: &Store, c: &Container, hosts_file: &Path) -> Result<()> {
    let Some(name) = network_of(c) else {
        return Ok(());
    };
    let Some(plan) = c.config.net.as_ref() else {
        return Ok(());
    };
    let mut mine = String::new();
    if let Some(ip) = plan.container_address {
        mine = member_line(ip, &c.name, &plan.aliases);
    }
    let mut lines = String::from(&mine);
    for peer in users(store, name)? {
        if peer.id == c.id {
            continue;
        }
        let Some(pplan) = peer.config.net.as_ref() else {
            continue;
        };
        let Some(ip) = pplan.container_address else {
            continue;
        };
        lines.push_str(&member_line(ip, &peer.name, &pplan.aliases));
        if peer.state.status == Status::Running && !mine.is_empty() {
            let path = store.dir_of(&peer.id).join("userdata").join("hosts");
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            if !have.lines().any(|l| format!("{l}\n") == mine) {
                if let Ok(mut f) = fs_err::OpenOptions::new().append(true).open(&path) {
                    let _ = f.write_all(mine.as_bytes());
                }
            }
        }
    }
    let mut f = fs_err::OpenOptions::new().append(true).open(hosts_file)?;
    f.write_all(lines.as_bytes())?;
    Ok(())
}

/// Take a member's line out of the running members' `/etc/hosts` when it
/// stops (rewritten in place: the files are bind-mounted).
pub fn withdraw_hosts(store: &Store, c: &Container) {
    let (Some(name), Some(plan)) = (network_of(c), c.config.net.as_ref()) else {
        return;
    };
    let Some(ip) = plan.container_address else {
        return;
    };
    let mine = member_line(ip, &c.name, &plan.aliases);
    let Ok(peers) = users(store, name) else {
        return;
    };
    for peer in peers.iter().filter(|p| p.id != c.id) {
        let path = store.dir_of(&peer.id).join("userdata").join("hosts");
        let Ok(have) = std::fs::read_to_string(&path) else {
            continue;
        };
        let kept = without_line(&have, &mine);
        if kept.len() != have.len() {
            if let Ok(mut f) = fs_err::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&path)
            {
                let _ = f.write_all(kept.as_bytes());
            }
        }
    }
}

/// `text` without the lines equal to `line` (which ends in a newline).
pub fn without_line(text: &str, line: &str) -> String {
    text.split_inclusive('\n').filter(|l| *l != line).collect()
}

/// The shared namespace's holder, as recorded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InfraState {
    pub pid: i32,
    pub start: Option<u64>,
    pub network: Option<NetworkHandle>,
}

fn infra_path(root: &Path) -> PathBuf {
    root.join("networks").join(".infra.json")
}

/// The holder's pid when it is alive.
pub fn infra_pid(root: &Path) -> Option<i32> {
    let s: InfraState = serde_json::from_slice(&std::fs::read(infra_path(root)).ok()?).ok()?;
    (s.start.is_some() && crate::userns::process_start_time(s.pid) == s.start).then_some(s.pid)
}

/// Start the holder of the shared namespace unless it runs (called by a
/// starting rctl, from the user's own network namespace, after
/// `app.enter()`).
pub fn ensure_infra(app: &crate::app::App) -> Result<i32> {
    let root = &app.dirs.root;
    crate::ondisk::create_private_dir(&root.join("networks"))?;
    let _lock = crate::pod::lock_file(&root.join("networks").join(".infra.lock"))?;
    if let Some(pid) = infra_pid(root) {
        return Ok(pid);
    }
    let (rx, tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    nix::fcntl::fcntl(
        tx.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
    )?;
    let exe = fs_err::read_link("/proc/self/exe")?;
    let mut child = std::process::Command::new(&exe)
        .arg("--root")
        .arg(root)
        .arg("--runroot")
        .arg(&app.dirs.runroot)
        .arg("network-infra")
        .arg("--report-fd")
        .arg(tx.as_raw_fd().to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("start the user networks' namespace holder")?;
    drop(tx);
    let mut line = String::new();
    std::io::BufReader::new(std::fs::File::from(rx)).read_line(&mut line)?;
    match line.trim_end().split_once(' ') {
        Some(("started", pid)) => {
            std::mem::forget(child);
            Ok(pid.parse().unwrap_or(0))
        }
        other => {
            let _ = child.wait();
            bail!(
                "start the namespace of user-defined networks: {}",
                other.map(|(_, m)| m).unwrap_or("the holder died")
            )
        }
    }
}

/// `rctl network-infra` (hidden): hold the shared namespace until
/// SIGTERM, with the default helper attached for outward traffic.
pub fn infra_main(root: &Path, report: OwnedFd, helpers: &HelperPath) -> Result<()> {
    use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
    let _ = nix::unistd::setsid();
    crate::sys::set_process_name("rctl-netns");
    let _ = crate::sys::close_fds_except(&[report.as_raw_fd()]);
    let mut report = std::fs::File::from(report);
    let mut mask = SigSet::empty();
    for s in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        mask.add(s);
    }
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&mask), None)?;
    let plan = NetworkPlan::build(&Default::default(), &super::HostFacts::read(helpers))?;
    let dir = root.join("networks");
    let handle = match crate::monitor::setup::enter_network(&plan, helpers, &dir) {
        Ok(h) => h,
        Err(e) => {
            let _ = writeln!(report, "failed {}", format!("{e:#}").replace('\n', " "));
            return Ok(());
        }
    };
    // Members route through this namespace (to the helper).
    let _ = std::fs::write("/proc/sys/net/ipv4/ip_forward", "1");
    let _ = nix::sys::prctl::set_dumpable(true);
    let pid = std::process::id() as i32;
    let state = InfraState {
        pid,
        start: crate::userns::process_start_time(pid),
        network: Some(handle.clone()),
    };
    crate::ondisk::write_atomic(&infra_path(root), &serde_json::to_vec_pretty(&state)?)?;
    let _ = writeln!(report, "started {pid}");
    drop(report);
    crate::sys::trim_code_pages();
    while mask.wait().is_err() {}
    let _ = handle.stop();
    let _ = std::fs::remove_file(infra_path(root));
    Ok(())
}

fn in_infra<'a>(infra: &'a str, args: &[&'a str]) -> Helper<'a> {
    Helper::new("nsenter").args(
        [infra, "ip"]
            .iter()
            .chain(args.iter())
            .map(std::ffi::OsString::from),
    )
}

/// Make the bridge of `net` in the shared namespace (idempotent).
fn ensure_bridge(net: &UserNetwork, infra: &str, helpers: &HelperPath) -> Result<()> {
    if in_infra(infra, &["link", "show", &net.bridge])
        .run(helpers)
        .is_ok()
    {
        return Ok(());
    }
    let gw = format!("{}/{}", net.gateway, net.prefix);
    let made = in_infra(infra, &["link", "add", &net.bridge, "type", "bridge"]).run(helpers);
    if let Err(e) = made {
        // Another member made it meanwhile.
        if in_infra(infra, &["link", "show", &net.bridge])
            .run(helpers)
            .is_err()
        {
            return Err(e).with_context(|| format!("create the bridge of network `{}`", net.name));
        }
        return Ok(());
    }
    in_infra(infra, &["addr", "add", &gw, "dev", &net.bridge])
        .run(helpers)
        .with_context(|| format!("address the bridge of network `{}`", net.name))?;
    in_infra(infra, &["link", "set", &net.bridge, "up"])
        .run(helpers)
        .with_context(|| format!("bring up the bridge of network `{}`", net.name))?;
    Ok(())
}

/// In the monitor, before the PID namespace: give the monitor (and the
/// container it forks) a new network namespace joined to the network's
/// bridge by a veth pair, with the container's address and a default
/// route through the gateway.
pub fn enter(root: &Path, c: &Container, helpers: &HelperPath) -> Result<()> {
    let Some(plan) = c.config.net.as_ref() else {
        return Ok(());
    };
    let NetworkMode::Named { name } = &plan.mode else {
        return Ok(());
    };
    let net = NetStore::new(root).load(name)?;
    let Some(IpAddr::V4(ip)) = plan.container_address else {
        bail!("container `{}` has no address on network `{name}`", c.name);
    };
    let holder = infra_pid(root).with_context(|| {
        format!("the namespace of user-defined networks is not running (network `{name}`)")
    })?;
    let infra = format!("--net=/proc/{holder}/ns/net");
    ensure_bridge(&net, &infra, helpers)?;
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .context("create the container's network namespace")?;
    crate::sys::loopback_up().context("bring up loopback")?;
    let veth = format!("veth{}", &c.id[..8]);
    let me = std::process::id().to_string();
    let wire = || -> Result<()> {
        let add = [
            "link", "add", &veth, "type", "veth", "peer", "name", "eth0", "netns", &me,
        ];
        if in_infra(&infra, &add).run(helpers).is_err() {
            // A previous run's pair whose namespace is not freed yet
            // (its monitor still exiting): remove it and try again.
            let _ = in_infra(&infra, &["link", "del", &veth]).run(helpers);
            in_infra(&infra, &add)
                .run(helpers)
                .context("create the veth pair")?;
        }
        in_infra(&infra, &["link", "set", &veth, "master", &net.bridge, "up"])
            .run(helpers)
            .context("attach the veth to the bridge")?;
        let addr = format!("{ip}/{}", net.prefix);
        let gw = net.gateway.to_string();
        for args in [
            vec!["addr", "add", &addr, "dev", "eth0"],
            vec!["link", "set", "eth0", "up"],
            vec!["route", "add", "default", "via", &gw],
        ] {
            Helper::new("ip").args(args).run(helpers)?;
        }
        Ok(())
    };
    wire().with_context(|| format!("connect container `{}` to network `{name}`", c.name))
}

/// Remove network `name`: refused while a container uses it (unless
/// `force`, which removes those containers); deletes its bridge when the
/// shared namespace runs, and stops that namespace's holder when no
/// network is left.
pub fn remove(app: &crate::app::App, name: &str, force: bool) -> Result<UserNetwork> {
    let root = &app.dirs.root;
    let nets = NetStore::new(root);
    let net = nets.load(name)?;
    let store = Store::new(root);
    let users = users(&store, &net.name)?;
    if !users.is_empty() && !force {
        bail!(
            "network `{}` is used by container{} {}\nhint: remove {} first, or use `rctl network rm -f {0}`",
            net.name,
            if users.len() == 1 { "" } else { "s" },
            users
                .iter()
                .map(|c| format!("`{}`", c.name))
                .collect::<Vec<_>>()
                .join(", "),
            if users.len() == 1 { "it" } else { "them" },
        );
    }
    for c in &users {
        crate::container::lifecycle::remove(&store, c, true)?;
    }
    let _lock = nets.lock()?;
    if let Some(holder) = infra_pid(root) {
        let infra = format!("--net=/proc/{holder}/ns/net");
        let _ = in_infra(&infra, &["link", "del", &net.bridge]).run(&app.helpers);
    }
    nets.remove_record(&net.name)?;
    if nets.list()?.is_empty() {
        stop_infra(root);
    }
    Ok(net)
}

fn stop_infra(root: &Path) {
    let Some(pid) = infra_pid(root) else { return };
    let Ok(fd) = crate::sys::pidfd_open(pid) else {
        return;
    };
    if infra_pid(root) != Some(pid) {
        return;
    }
    let _ = crate::sys::pidfd_send_signal(fd.as_fd(), nix::sys::signal::Signal::SIGTERM);
    crate::sys::pidfd_wait_exit(fd.as_fd(), Some(std::time::Duration::from_secs(5)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets() {
        assert_eq!(
            parse_subnet("10.90.0.0/24"),
            Ok((Ipv4Addr::new(10, 90, 0, 0), 24))
        );
        for bad in [
            "10.90.0.1/24",
            "10.90.0.0",
            "10.90.0.0/8",
            "x/24",
            "10.90.0.0/30",
        ] {
            assert!(parse_subnet(bad).is_err(), "{bad}");
        }
        let a = (Ipv4Addr::new(10, 89, 0, 0), 24);
        let b = (Ipv4Addr::new(10, 89, 0, 0), 16);
        assert!(overlaps(a, b) && overlaps(b, a));
        assert!(!overlaps(a, (Ipv4Addr::new(10, 89, 1, 0), 24)));
        assert_eq!(
            pick_subnet(&[a, (Ipv4Addr::new(10, 89, 2, 0), 24)]),
            Some((Ipv4Addr::new(10, 89, 1, 0), 24))
        );
        assert_eq!(pick_subnet(&[b]), None);
    }

    #[test]
    fn addresses() {
        let net = UserNetwork {
            name: "n".into(),
            id: "0".repeat(64),
            subnet: Ipv4Addr::new(10, 89, 3, 0),
            prefix: 28,
            gateway: Ipv4Addr::new(10, 89, 3, 1),
            bridge: "rctl-00000000".into(),
            created: 0,
        };
        assert_eq!(pick_address(&net, &[]), Some(Ipv4Addr::new(10, 89, 3, 2)));
        let used: Vec<Ipv4Addr> = (2..15).map(|i| Ipv4Addr::new(10, 89, 3, i)).collect();
        // .15 is the broadcast address: the /28 is full.
        assert_eq!(pick_address(&net, &used), None);
        assert_eq!(
            pick_address(&net, &used[1..]),
            Some(Ipv4Addr::new(10, 89, 3, 2))
        );
        assert_eq!(
            member_line(
                "10.89.3.2".parse().unwrap(),
                "db",
                &["db".into(), "pg".into()]
            ),
            "10.89.3.2\tdb pg\n"
        );
        assert_eq!(
            without_line("a\n10.89.3.2\tdb pg\nb\n", "10.89.3.2\tdb pg\n"),
            "a\nb\n"
        );
    }
}
