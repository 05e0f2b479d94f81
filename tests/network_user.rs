//! User-defined networks: two containers on one network reach each other
//! by name and by `--network-alias`, and published tcp and udp ports reach
//! one; a used network cannot be removed
//! (exit 125, nothing changed); an unused one can, and is gone. ICMP echo
//! for a user without capabilities. Traffic stays inside the namespaces
//! the test made.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::net::{fetch, free_port};
use common::{TestEnv, stderr};

fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    for (tool, pkg) in [
        ("/usr/bin/pasta", "passt"),
        ("/bin/busybox", "busybox-static"),
        ("/usr/sbin/ip", "iproute2"),
        ("/usr/bin/nsenter", "util-linux"),
    ] {
        if !std::path::Path::new(tool).exists() {
            return common::missing(&format!("`{tool}` is missing (package {pkg})"));
        }
    }
    let tun = std::fs::metadata("/dev/net/tun")
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o006 == 0o006);
    if !tun.unwrap_or(false) {
        return common::missing("/dev/net/tun is not usable by users (chmod 666 /dev/net/tun)");
    }
    t.import_busybox("localhost/busybox", &[]);
    Some(t)
}

const SERVE: &str =
    "mkdir -p /www && echo from-db > /www/index.html && exec httpd -f -p 80 -h /www";

#[test]
fn containers_on_a_network_reach_each_other_by_name_and_alias() {
    let Some(t) = env("net_user") else { return };
    assert_eq!(t.ok(&["network", "create", "backend"]), "backend\n");
    let out = t.rctl(&["network", "create", "backend"]);
    assert_eq!(out.status.code(), Some(125));
    t.ok(&["network", "create", "--subnet", "10.90.0.0/24", "spare"]);
    let out = t.rctl(&["network", "create", "--subnet", "10.89.0.0/16", "wide"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("backend"), "{}", stderr(&out));
    let ls = t.ok(&["network", "ls"]);
    assert!(
        ls.contains("backend") && ls.contains("10.89.0.0/24"),
        "{ls}"
    );
    assert!(ls.contains("10.90.0.0/24"), "{ls}");
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:80");
    let udp_port = free_port();
    let udp_publish = format!("127.0.0.1:{udp_port}:5353/udp");
    t.ok(&[
        "run",
        "-d",
        "--network",
        "backend",
        "--name",
        "db",
        "--network-alias",
        "pg",
        "-p",
        &publish,
        "-p",
        &udp_publish,
        "localhost/busybox",
        "sh",
        "-c",
        &format!("(while [ ! -x /udpecho ]; do sleep 0.1; done; exec /udpecho) & {SERVE}"),
    ]);
    // The monitor forwards the published ports into the container.
    assert!(fetch(port).contains("from-db"));
    assert_eq!(
        t.ok(&["port", "db"]),
        format!("80/tcp -> 127.0.0.1:{port}\n5353/udp -> 127.0.0.1:{udp_port}\n")
    );
    if let Some(echo) = build_static(&t, "udpecho", UDP_ECHO_C) {
        t.ok(&["cp", echo.to_str().unwrap(), "db:/udpecho"]);
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 64];
        let mut got = None;
        for _ in 0..60 {
            sock.send_to(b"ping", ("127.0.0.1", udp_port)).unwrap();
            if let Ok((n, _)) = sock.recv_from(&mut buf) {
                got = Some(String::from_utf8_lossy(&buf[..n]).into_owned());
                break;
            }
        }
        assert_eq!(got.as_deref(), Some("echo:ping"));
    }
    // A server on the host's loopback, reached through the shared
    // namespace's pasta as host.containers.internal.
    let host_srv = TcpListener::bind("127.0.0.1:0").unwrap();
    let host_port = host_srv.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in host_srv.incoming().flatten() {
            let mut req = [0u8; 1024];
            let _ = s.read(&mut req);
            let _ = s.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nfrom-host\n");
        }
    });
    let script = format!(
        "for i in $(seq 50); do wget -q -O - http://db/ && break; sleep 0.2; done; \
         wget -q -O - http://pg/ && ip -o -4 addr show eth0 && \
         wget -q -O - http://host.containers.internal:{host_port}/"
    );
    let out = t.ok(&[
        "run",
        "--rm",
        "--network",
        "backend",
        "--name",
        "web",
        "localhost/busybox",
        "sh",
        "-c",
        &script,
    ]);
    assert_eq!(out.matches("from-db").count(), 2, "{out}");
    assert!(out.contains("10.89.0."), "{out}");
    assert!(out.contains("from-host"), "{out}");
    // The server's own /etc/hosts learns a member's name while it runs,
    // and forgets it when it stops.
    t.ok(&[
        "run",
        "-d",
        "--network",
        "backend",
        "--name",
        "cache",
        "localhost/busybox",
        "sleep",
        "600",
    ]);
    let hosts = t.ok(&["exec", "db", "cat", "/etc/hosts"]);
    assert!(hosts.contains("\tcache\n"), "{hosts}");
    t.ok(&["rm", "-f", "cache"]);
    let hosts = t.ok(&["exec", "db", "cat", "/etc/hosts"]);
    assert!(!hosts.contains("cache"), "{hosts}");
    assert!(hosts.contains("\tdb pg\n"), "{hosts}");
    // A network in use stays.
    let out = t.rctl(&["network", "rm", "backend"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("db"), "{}", stderr(&out));
    assert!(t.ok(&["network", "ls", "-q"]).contains("backend"));
    let inspect = t.ok(&["network", "inspect", "backend"]);
    assert!(inspect.contains("\"pg\""), "{inspect}");
    // Unused: removed and gone.
    assert_eq!(t.ok(&["network", "rm", "spare"]), "spare\n");
    t.ok(&["rm", "-f", "db"]);
    assert_eq!(t.ok(&["network", "prune"]), "backend\n");
    assert_eq!(t.ok(&["network", "ls", "-q"]), "");
    let out = t.rctl(&[
        "run",
        "--rm",
        "--network",
        "backend",
        "localhost/busybox",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("network create backend"),
        "{}",
        stderr(&out)
    );
}

/// An ICMP echo over a datagram socket (what `ping` uses without
/// CAP_NET_RAW; busybox's ping only tries raw sockets).
const PING_C: &str = r#"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (s < 0) { perror("socket"); return 2; }
    struct timeval tv = {5, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct icmphdr h = {0};
    h.type = ICMP_ECHO;
    h.un.echo.sequence = htons(1);
    if (sendto(s, &h, sizeof h, 0, (struct sockaddr *)&to, sizeof to) < 0) { perror("sendto"); return 3; }
    char buf[256];
    if (recv(s, buf, sizeof buf, 0) < (long)sizeof h) { perror("recv"); return 4; }
    if (((struct icmphdr *)buf)->type != ICMP_ECHOREPLY) return 5;
    puts("echo reply");
    return 0;
}
"#;

/// A UDP echo server on port 5353 ("echo:" + the datagram).
const UDP_ECHO_C: &str = r#"
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(5353);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) return 2;
    for (;;) {
        char buf[600] = "echo:";
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        long n = recvfrom(s, buf + 5, 512, 0, (struct sockaddr *)&from, &len);
        if (n >= 0) sendto(s, buf, n + 5, 0, (struct sockaddr *)&from, len);
    }
}
"#;

/// Compile a C program statically (`None`, after reporting, without cc).
fn build_static(t: &TestEnv, name: &str, source: &str) -> Option<std::path::PathBuf> {
    let src = t.write_file(&format!("{name}.c"), source);
    let out = t.dir.join(name);
    let built = std::process::Command::new("cc")
        .args(["-static", "-O1", "-o"])
        .arg(&out)
        .arg(&src)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        common::missing("`cc -static` failed (packages build-essential, libc6-dev)");
        return None;
    }
    t.chown_tree(&out);
    Some(out)
}

#[test]
fn ping_works_for_any_user_of_the_container() {
    let Some(t) = env("net_ping") else { return };
    let root = t.busybox_rootfs("pingroot");
    let Some(pingd) = build_static(&t, "pingd", PING_C) else {
        return;
    };
    std::fs::copy(&pingd, root.join("bin/pingd")).unwrap();
    t.chown_tree(&root.join("bin/pingd"));
    let root = root.to_str().unwrap();
    // `info` says whether --network host containers can ping (the host's range).
    let info = t.ok(&["info", "--format", "json"]);
    let host_range = std::fs::read_to_string("/proc/sys/net/ipv4/ping_group_range").unwrap();
    let gid = t.user.gid;
    let mut r = host_range
        .split_whitespace()
        .map(|v| v.parse::<u64>().unwrap());
    let allowed = (r.next().unwrap()..=r.next().unwrap()).contains(&u64::from(gid));
    assert!(
        info.contains(&format!("\"ping_host_network\": {allowed}")),
        "{info}"
    );
    // As a user without capabilities: only ping_group_range allows it,
    // which rctl sets in every network namespace it makes.
    for net in ["pasta", "none"] {
        let out = t.ok(&[
            "run",
            "--rm",
            "--network",
            net,
            "-u",
            "1000:1000",
            "--rootfs",
            root,
            "sh",
            "-c",
            "cat /proc/sys/net/ipv4/ping_group_range && /bin/pingd",
        ]);
        assert!(out.starts_with('0'), "{net}: {out}");
        assert!(out.contains("echo reply"), "{net}: {out}");
    }
}
