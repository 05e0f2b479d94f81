//! Networking without the container runtime: each test makes a network
//! namespace inside rctl's user namespace (`rctl unshare unshare --net`),
//! runs a server there, attaches pasta or slirp4netns to it through the
//! hidden `rctl network attach-debug`, and talks to it from the host.
//! Traffic stays on loopback and inside the namespaces the tests made.

mod common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::net::free_port;
use common::{TestEnv, missing, stderr};
use serde_json::Value;

/// A test environment with what these tests need on top of the rig's.
fn net_env(name: &str) -> Option<TestEnv> {
    let env = TestEnv::new(name)?;
    for tool in [
        "/usr/bin/pasta",
        "/usr/bin/slirp4netns",
        "/bin/busybox",
        "/usr/bin/perl",
    ] {
        if !Path::new(tool).exists() {
            return missing(&format!(
                "`{tool}` is missing (packages passt, slirp4netns, busybox-static, perl-base)"
            ));
        }
    }
    let tun = std::fs::metadata("/dev/net/tun").map(|m| m.permissions().mode() & 0o666);
    if tun.ok() != Some(0o666) {
        return missing("/dev/net/tun is not mode 0666 (chmod 666 /dev/net/tun)");
    }
    Some(env)
}

/// A process in a fresh network namespace inside rctl's user namespace.
struct Netns {
    outer: Child,
    pid: i32,
}

impl Netns {
    /// Run `script` (after `lo` is up) as the namespace's first process;
    /// `$$` is its pid, which `exec` keeps for the server.
    // The child is waited for in `Drop`.
    #[allow(clippy::zombie_processes)]
    fn start(env: &TestEnv, tag: &str, script: &str) -> Netns {
        let pid_file = env.dir.join(format!("{tag}.pid"));
        let _ = std::fs::remove_file(&pid_file);
        let full = format!(
            "echo $$ > {}; /bin/busybox ip link set lo up; {script}",
            pid_file.display()
        );
        let mut cmd = env.rctl_cmd(&[]);
        if let Some(r) = env.extra_runroots.first() {
            cmd.arg("--runroot").arg(r);
        }
        let mut outer = cmd
            .args([
                "unshare", "unshare", "--net", "--fork", "/bin/sh", "-c", &full,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn rctl unshare");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return Netns { outer, pid };
            }
            if Instant::now() > deadline {
                let _ = outer.kill();
                let _ = outer.wait();
                panic!("namespace process did not start");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
        let _ = self.outer.kill();
        let _ = self.outer.wait();
    }
}

/// What attach-debug printed; the helper is stopped on drop if a failed
/// assertion skipped `detach`.
struct Attached {
    json: Value,
}

impl Drop for Attached {
    fn drop(&mut self) {
        if let Some(pid) = self.helper_pid().filter(|p| alive(*p)) {
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
        }
    }
}

impl Attached {
    fn handle(&self) -> String {
        self.json["handle"].to_string()
    }
    fn helper_pid(&self) -> Option<i32> {
        self.json["handle"]["helper"]["pid"]
            .as_i64()
            .map(|p| p as i32)
    }
}

fn attach(env: &TestEnv, ns: &Netns, args: &[&str]) -> Attached {
    let pid = ns.pid.to_string();
    let runroot = env.extra_runroots.first().map(|r| r.display().to_string());
    let mut all = vec![];
    if let Some(r) = &runroot {
        all.extend(["--runroot", r.as_str()]);
    }
    all.extend(["network", "attach-debug", "--pid", &pid]);
    all.extend_from_slice(args);
    let out = env.ok(&all);
    let json: Value = serde_json::from_str(&out).expect("attach-debug prints JSON");
    eprintln!(
        "attach {args:?}: {:.1} ms",
        json["attach_ms"].as_f64().unwrap_or(-1.0)
    );
    Attached { json }
}

fn detach(env: &TestEnv, a: &Attached) {
    env.ok(&["network", "detach-debug", &a.handle()]);
    if let Some(pid) = a.helper_pid() {
        assert!(!alive(pid), "helper {pid} still runs after detach");
    }
}

/// Running and not a zombie.
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, r)| r.trim_start().to_string()))
        .is_some_and(|r| !r.starts_with('Z') && !r.starts_with('X'))
}

/// Live processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<(i32, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains(needle) && alive(pid) {
            out.push((pid, cmd));
        }
    }
    out
}

/// `GET /FILE` over plain TCP; the response body.
fn http_get(port: u16, file: &str) -> String {
    http_get_at(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), file)
}

fn http_get_at(addr: SocketAddr, file: &str) -> String {
    let port = addr.port();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let attempt = (|| -> std::io::Result<String> {
            let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            write!(s, "GET /{file} HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
            let mut resp = String::new();
            s.read_to_string(&mut resp)?;
            Ok(resp)
        })();
        match attempt {
            Ok(resp) if !resp.is_empty() => {
                return resp
                    .split_once("\r\n\r\n")
                    .map(|(_, b)| b.to_string())
                    .unwrap_or(resp);
            }
            other => {
                assert!(Instant::now() < deadline, "GET port {port}: {other:?}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn web_root(env: &TestEnv, tag: &str) -> PathBuf {
    let f = env.write_file(
        &format!("www-{tag}/index.html"),
        &format!("hello from {tag}\n"),
    );
    f.parent().unwrap().to_path_buf()
}

fn publish_tcp(mode: &str, long_runroot: bool) {
    let tag = if long_runroot { "-long" } else { "" };
    let Some(mut env) = net_env(&format!("publish-{mode}{tag}")) else {
        return;
    };
    if long_runroot {
        // Longer than a socket address (108 bytes) can hold.
        let r = env.dir.join("r".repeat(100)).join("rctl");
        env.extra_runroots.push(r);
    }
    let www = web_root(&env, mode);
    let ns = Netns::start(
        &env,
        "web",
        &format!("exec /bin/busybox httpd -f -p 80 -h {}", www.display()),
    );
    let port = free_port();
    let a = attach(
        &env,
        &ns,
        &["--network", mode, "-p", &format!("127.0.0.1:{port}:80")],
    );
    let helper = a.helper_pid().expect("a helper pid");
    assert!(alive(helper));
    assert_eq!(a.json["handle"]["ports"][0]["host_port"], port);
    assert_eq!(http_get(port, "index.html"), format!("hello from {mode}\n"));
    detach(&env, &a);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} still open after detach"
    );
}

#[test]
fn pasta_publishes_a_tcp_port() {
    publish_tcp("pasta", false);
}

#[test]
fn slirp4netns_publishes_a_tcp_port() {
    publish_tcp("slirp4netns", false);
}

/// slirp4netns's API socket lives in the state directory, which for a
/// container is longer than a socket address allows.
#[test]
fn slirp4netns_works_with_a_long_state_directory() {
    publish_tcp("slirp4netns", true);
}

#[test]
fn random_host_port_is_chosen_and_reported() {
    let Some(env) = net_env("random-port") else {
        return;
    };
    let www = web_root(&env, "random");
    let ns = Netns::start(
        &env,
        "web",
        &format!("exec /bin/busybox httpd -f -p 80 -h {}", www.display()),
    );
    let a = attach(&env, &ns, &["--network", "pasta", "-p", "127.0.0.1::80"]);
    let port = a.json["handle"]["ports"][0]["host_port"].as_u64().unwrap() as u16;
    assert_ne!(port, 0);
    assert_eq!(http_get(port, "index.html"), "hello from random\n");
    detach(&env, &a);
}

#[test]
fn pasta_publishes_on_ipv6_loopback() {
    let Some(env) = net_env("ipv6-loopback") else {
        return;
    };
    let Ok(probe) = TcpListener::bind("[::1]:0") else {
        eprintln!("SKIPPED: this host has no ::1");
        return;
    };
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let www = web_root(&env, "v6");
    let ns = Netns::start(
        &env,
        "web",
        &format!("exec /bin/busybox httpd -f -p 80 -h {}", www.display()),
    );
    let a = attach(
        &env,
        &ns,
        &["--network", "pasta", "-p", &format!("[::1]:{port}:80")],
    );
    let addr = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port));
    assert_eq!(http_get_at(addr, "index.html"), "hello from v6\n");
    detach(&env, &a);
    // slirp4netns's API takes IPv4 host addresses only: refused up front.
    let out = env.rctl(&[
        "network",
        "attach-debug",
        "--pid",
        &ns.pid.to_string(),
        "--network",
        "slirp4netns",
        "-p",
        &format!("[::1]:{port}:80"),
    ]);
    assert!(
        stderr(&out).contains("slirp4netns cannot publish on the IPv6 address ::1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn udp_echo_through_a_published_port() {
    let Some(env) = net_env("udp-echo") else {
        return;
    };
    // Plain slirp4netns drops the replies to a client on the host's
    // loopback (it appears as 10.0.2.2, which --disable-host-loopback
    // blocks); rctl warns about it, see docs/architecture.md.
    for mode in ["pasta", "slirp4netns:allow_host_loopback=true"] {
        let port = free_port();
        let echo = format!(
            "exec /usr/bin/perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => {port}, Proto => \"udp\") or die \"bind: $!\"; while (1) {{ $s->recv($m, 2048); $s->send(\"echo:$m\"); }}'"
        );
        let ns = Netns::start(&env, &format!("udp-{mode}"), &echo);
        let a = attach(
            &env,
            &ns,
            &["--network", mode, "-p", &format!("{port}:{port}/udp")],
        );
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 64];
        let mut got = None;
        for _ in 0..30 {
            sock.send_to(b"ping", ("127.0.0.1", port)).unwrap();
            if let Ok((n, _)) = sock.recv_from(&mut buf) {
                got = Some(String::from_utf8_lossy(&buf[..n]).into_owned());
                break;
            }
        }
        assert_eq!(got.as_deref(), Some("echo:ping"), "{mode}");
        detach(&env, &a);
    }
}

#[test]
fn host_port_in_use_is_a_clear_error_and_leaves_nothing_running() {
    let Some(env) = net_env("port-in-use") else {
        return;
    };
    let ns = Netns::start(&env, "idle", "exec /bin/busybox sleep 600");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let state_dir = env
        .runroot()
        .join("net-debug")
        .join(ns.pid.to_string())
        .display()
        .to_string();
    for mode in ["pasta", "slirp4netns"] {
        let pid = ns.pid.to_string();
        let spec = format!("127.0.0.1:{port}:80");
        let out = env.rctl(&[
            "network",
            "attach-debug",
            "--pid",
            &pid,
            "--network",
            mode,
            "-p",
            "127.0.0.1::81",
            "-p",
            &spec,
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(125), "{mode}: {err}");
        assert!(
            err.contains(&format!(
                "host port {port}/tcp on 127.0.0.1 is already in use"
            )),
            "{mode}: {err}"
        );
        assert!(err.contains("hint:"), "{mode}: {err}");
        assert_eq!(
            processes_mentioning(&state_dir),
            vec![],
            "{mode}: a helper was left running"
        );
    }
    drop(taken);
}

#[test]
fn network_none_has_only_loopback() {
    let Some(env) = net_env("none") else {
        return;
    };
    let links = |ns: &Netns| {
        env.ok(&[
            "unshare",
            "nsenter",
            &format!("--net=/proc/{}/ns/net", ns.pid),
            "/bin/busybox",
            "ip",
            "-o",
            "link",
        ])
        .lines()
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
    };
    let none = Netns::start(&env, "none", "exec /bin/busybox sleep 600");
    let a = attach(&env, &none, &["--network", "none"]);
    assert!(a.json["handle"]["helper"].is_null(), "{}", a.json);
    assert_eq!(links(&none), ["lo"]);
    let resolv = a.json["resolv_conf"].as_str().unwrap();
    assert!(!resolv.contains("169.254.1.1"), "{resolv}");
    // Publishing needs a network.
    let out = env.rctl(&[
        "network",
        "attach-debug",
        "--pid",
        &none.pid.to_string(),
        "--network",
        "none",
        "-p",
        "8080:80",
    ]);
    assert!(
        stderr(&out).contains("cannot publish ports with --network none"),
        "{}",
        stderr(&out)
    );
    // For contrast, pasta adds an interface.
    let other = Netns::start(&env, "pasta", "exec /bin/busybox sleep 600");
    let a = attach(&env, &other, &["--network", "pasta"]);
    assert_eq!(links(&other).len(), 2, "{:?}", links(&other));
    detach(&env, &a);
}

/// An HTTP server on the host's 127.0.0.1 that answers one request.
fn loopback_server() -> (u16, std::thread::JoinHandle<bool>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    let t = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok((mut c, _)) = l.accept() {
                c.set_nonblocking(false).unwrap();
                c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let mut req = [0u8; 1024];
                let _ = c.read(&mut req);
                let _ = c.write_all(
                    b"HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nhello from the host\n",
                );
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    });
    (port, t)
}

/// Connect from inside the namespace to `host.containers.internal:PORT`,
/// with the `/etc/hosts` entries rctl generated bind-mounted in a private
/// mount namespace.
fn fetch_from_container(env: &TestEnv, ns: &Netns, hosts: &str, port: u16) -> String {
    let hosts_file = env.write_file(
        &format!("hosts-{}", ns.pid),
        &format!("127.0.0.1\tlocalhost\n{hosts}"),
    );
    let script = format!(
        "mount --bind {} /etc/hosts && exec /bin/busybox timeout 15 /usr/bin/perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(PeerAddr => \"host.containers.internal:{port}\", Timeout => 5) or die \"connect: $@\"; print $s \"GET / HTTP/1.0\\r\\n\\r\\n\"; print while <$s>'",
        hosts_file.display()
    );
    let out = env.rctl(&[
        "unshare",
        "nsenter",
        &format!("--net=/proc/{}/ns/net", ns.pid),
        "unshare",
        "--mount",
        "/bin/sh",
        "-c",
        &script,
    ]);
    String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out)
}

#[test]
fn container_reaches_host_loopback_through_host_containers_internal() {
    let Some(env) = net_env("host-internal") else {
        return;
    };
    // pasta maps its gateway address to the host's loopback.
    let ns = Netns::start(&env, "pasta", "exec /bin/busybox sleep 600");
    let a = attach(&env, &ns, &["--network", "pasta"]);
    let hosts = a.json["hosts"].as_str().unwrap().to_string();
    assert!(hosts.contains("host.containers.internal"), "{hosts}");
    let (port, server) = loopback_server();
    let got = fetch_from_container(&env, &ns, &hosts, port);
    assert!(
        server.join().unwrap(),
        "pasta: no connection reached the host ({got})"
    );
    assert!(got.contains("hello from the host"), "pasta: {got}");
    detach(&env, &a);

    // slirp4netns reaches the host's loopback only when asked.
    let ns = Netns::start(&env, "slirp", "exec /bin/busybox sleep 600");
    let a = attach(
        &env,
        &ns,
        &["--network", "slirp4netns:allow_host_loopback=true"],
    );
    let hosts = a.json["hosts"].as_str().unwrap().to_string();
    assert!(
        hosts.contains("10.0.2.2\thost.containers.internal"),
        "{hosts}"
    );
    let (port, server) = loopback_server();
    let got = fetch_from_container(&env, &ns, &hosts, port);
    assert!(server.join().unwrap(), "slirp4netns: no connection ({got})");
    assert!(got.contains("hello from the host"), "slirp4netns: {got}");
    detach(&env, &a);

    // By default slirp4netns refuses 10.0.2.2 -> host loopback.
    let ns = Netns::start(&env, "slirp-default", "exec /bin/busybox sleep 600");
    let a = attach(&env, &ns, &["--network", "slirp4netns"]);
    let (port, server) = loopback_server();
    let got = fetch_from_container(&env, &ns, "10.0.2.2\thost.containers.internal\n", port);
    assert!(!got.contains("hello from the host"), "{got}");
    detach(&env, &a);
    drop(server);
}

/// Helpers that fail the way they do when /dev/net/tun is 0600 (the real
/// device is left alone: other users of this host need it).
#[test]
fn tun_permission_error_names_the_fix() {
    let Some(env) = net_env("tun-denied") else {
        return;
    };
    let bin = env.dir.join("fake-bin");
    for (name, msg) in [
        ("pasta", "Failed to open() /dev/net/tun: Permission denied"),
        (
            "slirp4netns",
            "open(\"/dev/net/tun\"): Permission denied\\nWARNING: Support for seccomp is experimental",
        ),
    ] {
        let f = env.write_file(
            &format!("fake-bin/{name}"),
            &format!("#!/bin/sh\nprintf '{msg}\\n' >&2\nexit 1\n"),
        );
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    env.write_file(
        "home/.config/rctl/rctl.toml",
        &format!("[engine]\nhelper_dirs = [\"{}\"]\n", bin.display()),
    );
    let ns = Netns::start(&env, "idle", "exec /bin/busybox sleep 600");
    for mode in ["pasta", "slirp4netns"] {
        let out = env.rctl(&[
            "network",
            "attach-debug",
            "--pid",
            &ns.pid.to_string(),
            "--network",
            mode,
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(125), "{mode}: {err}");
        assert!(
            err.contains("/dev/net/tun: Permission denied")
                || err.contains("\"/dev/net/tun\"): Permission denied"),
            "{mode}: {err}"
        );
        assert!(
            err.contains(
                "hint: users must be able to open /dev/net/tun: run `chmod 666 /dev/net/tun`"
            ),
            "{mode}: {err}"
        );
    }
}
