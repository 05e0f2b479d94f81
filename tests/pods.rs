//! Pods and shared network namespaces: containers of a pod talk over
//! 127.0.0.1 and share hostname and IPC; ports are published on the pod;
//! `pod rm` refuses running members without -f; `--network container:NAME`;
//! `-P` with `rctl port`.
//! Traffic stays on loopback and inside the namespaces the tests made.

mod common;

use std::net::TcpListener;

use common::net::{fetch, free_port};
use common::{TestEnv, stderr};

const SERVE: &str =
    "mkdir -p /www && echo from-web > /www/index.html && exec httpd -f -p 80 -h /www";

/// `wget` from inside a container, retried while the server starts.
const WGET: &str =
    "for i in $(seq 50); do wget -q -O - http://127.0.0.1/ && exit 0; sleep 0.2; done; exit 1";

#[test]
fn pod_members_share_loopback_hostname_and_ipc() {
    let Some(t) = env("pod_share") else { return };
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:80");
    let id = t.ok(&["pod", "create", "--name", "p1", "-p", &publish]);
    assert_eq!(id.trim().len(), 64, "{id}");
    assert!(t.ok(&["pod", "ls"]).contains("Created"));
    t.ok(&[
        "run",
        "-d",
        "--pod",
        "p1",
        "--name",
        "web",
        "localhost/busybox",
        "sh",
        "-c",
        SERVE,
    ]);
    // Another member reaches the server over the pod's loopback, sees the
    // pod's hostname, and is in the same IPC namespace as the first.
    let out = t.ok(&[
        "run",
        "--rm",
        "--pod",
        "p1",
        "localhost/busybox",
        "sh",
        "-c",
        &format!("( {WGET} ) && hostname && readlink /proc/self/ns/ipc"),
    ]);
    assert!(out.contains("from-web"), "{out}");
    assert!(out.lines().any(|l| l == "p1"), "hostname: {out}");
    let ipc = t.ok(&["exec", "web", "readlink", "/proc/self/ns/ipc"]);
    assert!(out.contains(ipc.trim()), "ipc {ipc} vs {out}");
    // The port is published on the pod.
    assert!(fetch(port).contains("from-web"));
    let ls = t.ok(&["pod", "ls"]);
    assert!(ls.contains("p1") && ls.contains("Running"), "{ls}");
    let inspect = t.ok(&["pod", "inspect", "p1"]);
    assert!(inspect.contains(&format!("127.0.0.1:{port}")), "{inspect}");
    assert_eq!(
        t.ok(&["port", "web"]),
        format!("80/tcp -> 127.0.0.1:{port}\n")
    );
    // Ports are the pod's: a member cannot publish its own.
    let out = t.rctl(&[
        "run",
        "--rm",
        "--pod",
        "p1",
        "-p",
        "81",
        "localhost/busybox",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("pod create -p"), "{}", stderr(&out));
    // A running member keeps the pod: rm without -f changes nothing.
    let out = t.rctl(&["pod", "rm", "p1"]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(t.ok(&["ps", "-q"]).trim().len() == 12);
    t.ok(&["pod", "stop", "-t", "1", "p1"]);
    assert!(t.ok(&["pod", "ls"]).contains("Exited"));
    // Stopped: the helper is gone and the port free again.
    TcpListener::bind(("127.0.0.1", port)).expect("port freed by pod stop");
    t.ok(&["pod", "start", "p1"]);
    assert!(fetch(port).contains("from-web"));
    t.ok(&["pod", "rm", "-f", "p1"]);
    assert_eq!(t.ok(&["pod", "ls", "-q"]), "");
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");
    let out = t.rctl(&["pod", "inspect", "p1"]);
    assert_eq!(out.status.code(), Some(125));
}

#[test]
fn pod_new_and_network_of_a_container() {
    let Some(t) = env("pod_new") else { return };
    // --pod new:NAME creates the pod (network none: loopback only).
    let out = t.ok(&[
        "run",
        "--rm",
        "--pod",
        "new:solo",
        "localhost/busybox",
        "hostname",
    ]);
    assert_eq!(out.trim(), "solo");
    assert!(t.ok(&["pod", "ls"]).contains("solo"));
    t.ok(&["pod", "rm", "-f", "solo"]);
    // An unknown pod: a clear error and no container.
    let out = t.rctl(&[
        "run",
        "--rm",
        "--pod",
        "nosuch",
        "localhost/busybox",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("rctl pod ls"), "{}", stderr(&out));
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");
    // A pod on the host's network: members share its UTS namespace only
    // with each other, the network with the host.
    t.ok(&["pod", "create", "--name", "hp", "--network", "host"]);
    let out = t.ok(&[
        "run",
        "--rm",
        "--pod",
        "hp",
        "localhost/busybox",
        "sh",
        "-c",
        "hostname; ip -o link",
    ]);
    assert!(out.starts_with("hp\n"), "{out}");
    let host_links = std::fs::read_dir("/sys/class/net").unwrap().count();
    assert_eq!(out.lines().count() - 1, host_links, "{out}");
    t.ok(&["pod", "rm", "hp"]);
    // --network container:NAME shares that container's network namespace.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "owner",
        "--network",
        "none",
        "localhost/busybox",
        "sh",
        "-c",
        SERVE,
    ]);
    let out = t.ok(&[
        "run",
        "--rm",
        "--network",
        "container:owner",
        "localhost/busybox",
        "sh",
        "-c",
        WGET,
    ]);
    assert!(out.contains("from-web"), "{out}");
    let out = t.rctl(&[
        "run",
        "--rm",
        "--network",
        "container:nosuch",
        "localhost/busybox",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
    t.ok(&["rm", "-f", "owner"]);
}

#[test]
fn publish_all_publishes_the_exposed_ports() {
    let Some(t) = env("publish_all") else { return };
    t.import_busybox("localhost/web", &["EXPOSE 80", "EXPOSE 5353/udp"]);
    t.ok(&[
        "run",
        "-d",
        "-P",
        "--name",
        "pub",
        "localhost/web",
        "sh",
        "-c",
        SERVE,
    ]);
    let ports = t.ok(&["port", "pub"]);
    let tcp = ports
        .lines()
        .find_map(|l| l.strip_prefix("80/tcp -> 0.0.0.0:"))
        .unwrap_or_else(|| panic!("80/tcp published: {ports}"));
    assert!(ports.contains("5353/udp -> 0.0.0.0:"), "{ports}");
    let port: u16 = tcp.parse().unwrap();
    assert_ne!(port, 0);
    assert!(fetch(port).contains("from-web"));
    t.ok(&["rm", "-f", "pub"]);
}

fn env(name: &str) -> Option<TestEnv> {
    common::net::env_with(
        name,
        &[
            ("/usr/bin/pasta", "passt"),
            ("/bin/busybox", "busybox-static"),
        ],
    )
}
