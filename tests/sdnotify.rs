//! `--sdnotify=container` on the bare host (no systemd needed): the test
//! listens where `NOTIFY_SOCKET` points, as systemd would, and sees the
//! monitor announce itself as MAINPID at start and relay the container's
//! own READY=1 only when the container sends it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use common::TestEnv;

/// Prints what the container sees, waits for the test's go, notifies.
const SCRIPT: &str = r#"
echo "socket=$NOTIFY_SOCKET"
echo "mode=$(ls -l /run/notify/notify.sock | cut -c1-10)"
echo "uid=$(id -u)"
while [ ! -e /gate/go ]; do sleep 0.1; done
sdnotify READY=1 "STATUS=gate open" MAINPID=1 && echo sent
sleep 1000
"#;

fn recv(sock: &UnixDatagram) -> String {
    let mut buf = [0u8; 1024];
    let n = sock.recv(&mut buf).expect("a notification within 60 s");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn the_monitor_relays_the_containers_ready_with_itself_as_mainpid() {
    let Some(env) = TestEnv::new("sdnotify") else {
        return;
    };
    let root = env.busybox_rootfs("root");
    if let Err(e) = common::notify_client::build(&root.join("bin/sdnotify")) {
        common::missing(&e);
        return;
    }
    env.chown_tree(&root);
    let gate = env.dir.join("gate");
    std::fs::create_dir_all(&gate).unwrap();
    std::fs::set_permissions(&gate, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.chown_tree(&gate);
    // Where systemd would listen.
    let path = env.dir.join("systemd.sock");
    let listener = UnixDatagram::bind(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    listener
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();

    let volume = format!("{}:/gate", gate.display());
    let out = env
        .rctl_cmd(&[
            "run",
            "-d",
            "--name",
            "notifier",
            "--network",
            "none",
            "--user",
            "alice",
            "--sdnotify=container",
            "-v",
            &volume,
            "--rootfs",
            root.to_str().unwrap(),
            "sh",
            "-c",
            SCRIPT,
        ])
        .env("NOTIFY_SOCKET", &path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let monitor = env.ok(&["inspect", "-f", "{{.State.ConmonPid}}", "notifier"]);
    let monitor = monitor.trim();
    assert!(monitor.parse::<u32>().is_ok_and(|p| p > 1), "{monitor}");

    // At start the monitor only names itself: READY=1 is the container's.
    assert_eq!(recv(&listener), format!("MAINPID={monitor}\n"));
    listener.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 64];
    let early = listener.recv(&mut buf);
    assert!(
        early.is_err(),
        "before the container notified: {:?}",
        early.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned())
    );

    // The container notifies: relayed, with the monitor as MAINPID (the
    // container's own MAINPID=1, a pid in its namespace, is dropped).
    std::fs::write(gate.join("go"), "").unwrap();
    listener.set_nonblocking(false).unwrap();
    assert_eq!(
        recv(&listener),
        format!("MAINPID={monitor}\nREADY=1\nSTATUS=gate open\n")
    );
    let logs = env.ok(&["logs", "notifier"]);
    assert!(logs.contains("socket=/run/notify/notify.sock\n"), "{logs}");
    // A non-root user in the container may send to it.
    assert!(logs.contains("mode=srwxrwxrwx\n"), "{logs}");
    assert!(logs.contains("uid=1000\n"), "{logs}");
    env.ok(&["rm", "-f", "notifier"]);

    // Without a NOTIFY_SOCKET for rctl the container still has a socket
    // to send to; the message goes nowhere.
    let out = env.run_in(
        &root,
        &[
            "--network",
            "none",
            "--sdnotify=container",
            "sh",
            "-c",
            "sdnotify READY=1 && echo delivered",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out), "delivered\n");
}
