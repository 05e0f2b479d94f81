//! User-defined networks: two containers on one network reach each other
//! by name and by `--network-alias`; a used network cannot be removed
//! (exit 125, nothing changed); an unused one can, and is gone. Traffic
//! stays inside the namespaces the test made.

mod common;

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
    let ls = t.ok(&["network", "ls"]);
    assert!(
        ls.contains("backend") && ls.contains("10.89.0.0/24"),
        "{ls}"
    );
    assert!(ls.contains("10.90.0.0/24"), "{ls}");
    t.ok(&[
        "run",
        "-d",
        "--network",
        "backend",
        "--name",
        "db",
        "--network-alias",
        "pg",
        "localhost/busybox",
        "sh",
        "-c",
        SERVE,
    ]);
    let script = "for i in $(seq 50); do wget -q -O - http://db/ && break; sleep 0.2; done; \
                  wget -q -O - http://pg/ && ip -o -4 addr show eth0";
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
        script,
    ]);
    assert_eq!(out.matches("from-db").count(), 2, "{out}");
    assert!(out.contains("10.89.0."), "{out}");
    // The server's own /etc/hosts learned the client's name while it ran.
    let hosts = t.ok(&["exec", "db", "cat", "/etc/hosts"]);
    assert!(hosts.contains("\tweb"), "{hosts}");
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
