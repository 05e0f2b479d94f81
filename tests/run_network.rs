//! Container networking through `run`: published ports with pasta and
//! slirp4netns (fetched from the host over loopback), `--network none`,
//! a host port already in use, `rctl port`. Traffic stays on loopback.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::net::{fetch, free_port};
use common::{TestEnv, stderr};

fn serve(t: &TestEnv, name: &str, network: &str, port: u16, text: &str) -> String {
    let publish = format!("127.0.0.1:{port}:80");
    let script =
        format!("mkdir -p /www && echo {text} > /www/index.html && exec httpd -f -p 80 -h /www");
    let out = t.rctl(&[
        "run",
        "-d",
        "--name",
        name,
        "--network",
        network,
        "-p",
        &publish,
        "localhost/busybox",
        "sh",
        "-c",
        &script,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    fetch(port)
}

#[test]
fn published_port_with_pasta_serves_the_host() {
    let Some(t) = env("net_pasta") else { return };
    let port = free_port();
    let body = serve(&t, "web", "pasta", port, "hello-pasta");
    assert!(body.contains("hello-pasta"), "{body}");
    assert_eq!(
        t.ok(&["port", "web"]),
        format!("80/tcp -> 127.0.0.1:{port}\n")
    );
    // The container has a real interface besides lo.
    let links = t.ok(&["exec", "web", "ip", "-o", "link"]);
    assert!(links.lines().count() >= 2, "{links}");
    t.ok(&["stop", "-t", "1", "web"]);
    // The helper is gone with the container: the port is free again.
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpListener::bind(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "port {port} still bound after stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    t.ok(&["rm", "web"]);
}

#[test]
fn published_port_with_slirp4netns_serves_the_host() {
    let Some(t) = env("net_slirp") else { return };
    let port = free_port();
    let body = serve(&t, "web", "slirp4netns", port, "hello-slirp");
    assert!(body.contains("hello-slirp"), "{body}");
    t.ok(&["rm", "-f", "web"]);
}

#[test]
fn network_none_has_only_loopback_and_refuses_ports() {
    let Some(t) = env("net_none") else { return };
    let links = t.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "localhost/busybox",
        "ip",
        "-o",
        "link",
    ]);
    assert_eq!(links.lines().count(), 1, "{links}");
    assert!(links.contains("lo:"), "{links}");
    let out = t.rctl(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-p",
        "8080:80",
        "localhost/busybox",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn a_host_port_in_use_fails_run_cleanly() {
    let Some(t) = env("net_busy") else { return };
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let publish = format!("127.0.0.1:{port}:80");
    let out = t.rctl(&["run", "--rm", "-p", &publish, "localhost/busybox", "true"]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(err.contains(&port.to_string()), "names the port: {err}");
    // Nothing is left running or recorded for the --rm container.
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");
    let helpers = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("cmdline")).is_ok_and(|c| {
                c.contains(&t.dir.display().to_string())
                    && (c.starts_with("/usr/bin/pasta") || c.starts_with("/usr/bin/slirp4netns"))
            })
        })
        .count();
    assert_eq!(helpers, 0, "a network helper was left running");
    drop(busy);
}

#[test]
fn container_resolves_host_containers_internal() {
    let Some(t) = env("net_hosts") else { return };
    let hosts = t.ok(&["run", "--rm", "localhost/busybox", "cat", "/etc/hosts"]);
    assert!(hosts.contains("host.containers.internal"), "{hosts}");
    let resolv = t.ok(&[
        "run",
        "--rm",
        "--dns",
        "192.0.2.53",
        "localhost/busybox",
        "cat",
        "/etc/resolv.conf",
    ]);
    assert!(resolv.contains("nameserver 192.0.2.53"), "{resolv}");
}

fn env(name: &str) -> Option<TestEnv> {
    common::net::env_with(
        name,
        &[
            ("/usr/bin/pasta", "passt"),
            ("/usr/bin/slirp4netns", "slirp4netns"),
            ("/bin/busybox", "busybox-static"),
        ],
    )
}
