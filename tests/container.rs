//! Container lifecycle end to end: `run` exit codes, the detached
//! lifecycle through the monitor, exec, names and ids, stop/kill/restart,
//! ps. Real runtime, real binary, unprivileged user.

mod common;

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn run_passes_the_container_status_through() {
    let Some(t) = TestEnv::new("run_status") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let out = t.run_in(&r, &["echo", "hello"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "hello\n");
    assert_eq!(code(&t.run_in(&r, &["sh", "-c", "exit 3"])), 3);
    // Killed by SIGKILL: 128 + 9 (the payload under --init is not PID 1,
    // so the kernel lets it be killed).
    assert_eq!(
        code(&t.run_in(&r, &["--init", "sh", "-c", "kill -9 $$"])),
        137
    );
    let out = t.run_in(&r, &["no-such-command"]);
    assert_eq!(code(&out), 127);
    assert!(stderr(&out).contains("no-such-command"), "{}", stderr(&out));
    let out = t.run_in(&r, &["/etc/passwd"]);
    assert_eq!(code(&out), 126, "{}", stderr(&out));
    let out = t.run_in(&r, &["--cap-add", "BOGUS", "true"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("BOGUS"));
    let out = t.rctl(&["run", "--rootfs", "/nonexistent-dir", "true"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("/nonexistent-dir"));
    // --rm left nothing behind; failed runs without --rm leave no running container.
    assert_eq!(t.ok(&["ps", "-q"]), "");
    assert_eq!(t.ok(&["ps", "-aq"]), "");
}

#[test]
fn detached_lifecycle_through_the_monitor() {
    let Some(t) = TestEnv::new("lifecycle") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let script = "echo started; echo err >&2; trap 'echo got term; exit 7' TERM; while true; do sleep 0.05; done";
    let id = t.ok(&[
        "run", "-d", "--name", "web", "--rootfs", rs, "sh", "-c", script,
    ]);
    let id = id.trim();
    assert_eq!(id.len(), 64);
    // Names are unique.
    let dup = t.rctl(&["run", "-d", "--name", "web", "--rootfs", rs, "true"]);
    assert_eq!(code(&dup), 125);
    assert!(stderr(&dup).contains("already in use"));
    assert_eq!(t.ok(&["ps", "-q"]).trim(), &id[..12]);
    let ps = t.ok(&["ps", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ps).unwrap();
    assert_eq!(v[0]["Names"][0], "web");
    assert_eq!(v[0]["State"], "running");
    // exec joins the container: same hostname, its PID namespace.
    assert_eq!(t.ok(&["exec", "web", "hostname"]).trim(), &id[..12]);
    let pid1 = t.ok(&["exec", "web", "cat", "/proc/1/cmdline"]);
    assert!(pid1.starts_with("sh"), "{pid1}");
    assert_eq!(code(&t.rctl(&["exec", "web", "sh", "-c", "exit 4"])), 4);
    assert_eq!(code(&t.rctl(&["exec", "web", "nope"])), 127);
    // exec -d returns at once; the process runs on inside.
    assert_eq!(
        t.ok(&[
            "exec",
            "-d",
            "web",
            "sh",
            "-c",
            "sleep 0.1; echo bg > /tmp/bg"
        ]),
        ""
    );
    let mut bg = String::new();
    for _ in 0..100 {
        bg = stdout(&t.rctl(&["exec", "web", "cat", "/tmp/bg"]));
        if !bg.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(bg, "bg\n");
    // exec never hands the caller's descriptors in: pipes, or a terminal
    // of the container's own devpts with -t; -i feeds stdin.
    let fd0 = t.ok(&["exec", "web", "readlink", "/proc/self/fd/1"]);
    assert!(fd0.starts_with("pipe:["), "{fd0}");
    let tty = t.ok(&["exec", "-t", "web", "tty"]);
    assert!(tty.trim().starts_with("/dev/pts/"), "{tty}");
    let mut cmd = t.rctl_cmd(&["exec", "-i", "web", "cat"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"fed\n").unwrap();
    }
    assert_eq!(stdout(&child.wait_with_output().unwrap()), "fed\n");
    // exec takes -e, -w and -u.
    assert_eq!(
        t.ok(&[
            "exec",
            "-e",
            "X=1",
            "-w",
            "/tmp",
            "-u",
            "alice",
            "web",
            "sh",
            "-c",
            "echo $X $(pwd) $(id -u)"
        ]),
        "1 /tmp 1000\n"
    );
    // Prefix lookup.
    let inspect = t.ok(&["inspect", &id[..8]]);
    let v: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    assert_eq!(v[0]["Id"], id);
    assert_eq!(v[0]["State"]["Running"], true);
    assert_eq!(
        t.ok(&[
            "inspect",
            "--format",
            "{{.State.Status}} {{.Name}} {{.HostConfig.NetworkMode}}",
            "web"
        ]),
        "running web none\n"
    );
    // Stop sends SIGTERM; the trap's status is recorded.
    t.ok(&["stop", "web"]);
    assert_eq!(t.ok(&["wait", "web"]).trim(), "7");
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "web"])).unwrap();
    assert_eq!(v[0]["State"]["Status"], "exited");
    assert_eq!(v[0]["State"]["ExitCode"], 7);
    let logs = t.rctl(&["logs", "web"]);
    assert_eq!(stdout(&logs), "started\ngot term\n");
    assert_eq!(stderr(&logs), "err\n");
    assert_eq!(
        stdout(&t.rctl(&["logs", "--tail", "1", "web"])),
        "got term\n"
    );
    // Restart by start, then rm -f kills it.
    t.ok(&["start", "web"]);
    assert_eq!(t.ok(&["ps", "-q"]).trim(), &id[..12]);
    let rm = t.rctl(&["rm", "web"]);
    assert_eq!(code(&rm), 125);
    assert!(stderr(&rm).contains("is running"));
    t.ok(&["rm", "-f", "web"]);
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    let gone = t.rctl(&["inspect", "web"]);
    assert_eq!(code(&gone), 125);
}

#[test]
fn create_start_attach_and_kill() {
    let Some(t) = TestEnv::new("create_start") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let id = t.ok(&[
        "create",
        "--name",
        "c1",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "echo out; exit 5",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&t.ok(&["ps", "-a", "--format", "json"])).unwrap();
    assert_eq!(v[0]["State"], "created");
    let out = t.rctl(&["start", "-a", "c1"]);
    assert_eq!(code(&out), 5);
    assert_eq!(stdout(&out), "out\n");
    assert_eq!(t.ok(&["wait", id.trim()]).trim(), "5");
    // PID 1 without a handler ignores TERM; the init forwards it.
    t.ok(&[
        "run", "-d", "--init", "--name", "k", "--rootfs", rs, "sleep", "60",
    ]);
    t.ok(&["kill", "-s", "TERM", "k"]);
    assert_eq!(t.ok(&["wait", "k"]).trim(), "143");
    t.ok(&["run", "-d", "--name", "k9", "--rootfs", rs, "sleep", "60"]);
    t.ok(&["kill", "k9"]);
    assert_eq!(t.ok(&["wait", "k9"]).trim(), "137");
    let out = t.rctl(&["kill", "-s", "NOSUCHSIG", "k"]);
    assert_eq!(code(&out), 125);
    t.ok(&["rm", "-a"]);
    assert_eq!(t.ok(&["ps", "-aq"]), "");
}

#[test]
fn restart_top_rename_prune_port_and_tty() {
    let Some(t) = TestEnv::new("more_verbs") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    t.ok(&[
        "run",
        "-d",
        "--name",
        "old",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "sleep 30 & wait",
    ]);
    // The shell starts its child a moment after `run -d` returns.
    let mut top = t.ok(&["top", "old"]);
    for _ in 0..100 {
        if top.lines().any(|l| l.ends_with("  sleep 30")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        top = t.ok(&["top", "old"]);
    }
    let line = top
        .lines()
        .find(|l| l.ends_with("  sleep 30"))
        .unwrap_or_else(|| panic!("{top}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!((cols[0], cols[2]), ("0", "1"), "{top}");
    let pid_before = t.ok(&["inspect", "old"]);
    t.ok(&["restart", "-t", "0", "old"]);
    let pid_after = t.ok(&["inspect", "old"]);
    let p =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()[0]["State"]["Pid"].clone();
    assert_ne!(p(&pid_before), p(&pid_after));
    assert_eq!(t.ok(&["port", "old"]), "");
    // Names that are not hex, so they cannot match an ID prefix.
    t.ok(&["rename", "old", "new"]);
    assert_eq!(code(&t.rctl(&["inspect", "old"])), 125);
    t.ok(&["create", "--rootfs", rs, "true"]);
    let pruned = t.ok(&["container", "prune", "-f"]);
    assert_eq!(pruned.lines().count(), 1, "only the created one: {pruned}");
    assert_eq!(t.ok(&["ps", "-aq"]).lines().count(), 1);
    t.ok(&["rm", "-f", "new"]);
    // -t gives the container a terminal even when rctl has none.
    let out = t.run_in(&r, &["-t", "sh", "-c", "tty; test -t 0 && echo term"]);
    assert_eq!(
        stdout(&out).replace('\r', ""),
        "/dev/pts/0\nterm\n",
        "{}",
        stderr(&out)
    );
}

#[test]
fn stop_escalates_to_sigkill_and_detached_rm_cleans_up() {
    let Some(t) = TestEnv::new("stop_kill") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    // PID 1 without a TERM handler ignores SIGTERM: stop must escalate.
    t.ok(&["run", "-d", "--name", "s", "--rootfs", rs, "sleep", "60"]);
    let start = std::time::Instant::now();
    t.ok(&["stop", "-t", "1", "s"]);
    let took = start.elapsed();
    assert!(took >= std::time::Duration::from_millis(900), "{took:?}");
    assert!(took < std::time::Duration::from_secs(8), "{took:?}");
    assert_eq!(t.ok(&["wait", "s"]).trim(), "137");
    // --stop-signal is honoured.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "h",
        "--stop-signal",
        "HUP",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "trap 'exit 11' HUP; while true; do sleep 0.05; done",
    ]);
    t.ok(&["stop", "h"]);
    assert_eq!(t.ok(&["wait", "h"]).trim(), "11");
    // A detached --rm container removes itself when it exits.
    t.ok(&[
        "run", "-d", "--rm", "--name", "gone", "--rootfs", rs, "true",
    ]);
    let mut n = 0;
    while t.ok(&["ps", "-a", "--format", "json"]).contains("\"gone\"") && n < 100 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        n += 1;
    }
    assert!(n < 100, "--rm container still listed");
    t.ok(&["rm", "-fa"]);
}

#[test]
fn ps_filters_templates_and_last() {
    let Some(t) = TestEnv::new("ps_filters") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let a = t.ok(&["create", "--name", "one", "--rootfs", rs, "true"]);
    assert_eq!(
        code(&t.rctl(&["run", "--name", "two", "--rootfs", rs, "sh", "-c", "exit 2"])),
        2
    );
    let b = t.rctl(&["run", "--name", "three", "--rootfs", rs, "true"]);
    assert_eq!(code(&b), 0);
    assert_eq!(
        t.ok(&["ps", "--filter", "status=created", "--format", "{{.Names}}"]),
        "one\n"
    );
    assert_eq!(
        t.ok(&[
            "ps",
            "-a",
            "--filter",
            "exited=2",
            "--format",
            "{{.Names}} {{.ExitCode}}"
        ]),
        "two 2\n"
    );
    assert_eq!(
        t.ok(&[
            "ps",
            "--filter",
            "name=one",
            "--filter",
            "name=two",
            "--format",
            "{{.Names}}"
        ]),
        "one\ntwo\n"
    );
    assert_eq!(t.ok(&["ps", "-l", "--format", "{{.Names}}"]), "three\n");
    assert_eq!(
        t.ok(&["ps", "-n", "2", "--format", "{{.Names}}"]),
        "two\nthree\n"
    );
    assert_eq!(
        t.ok(&[
            "ps",
            "--filter",
            "name=one",
            "--no-trunc",
            "--format",
            "{{.ID}}"
        ]),
        a
    );
    let bad = t.rctl(&["ps", "--format", "{{.Bogus}}"]);
    assert_eq!(code(&bad), 125);
    let bad = t.rctl(&["ps", "--filter", "color=red"]);
    assert_eq!(code(&bad), 125);
    assert!(stderr(&bad).contains("color"));
}

#[test]
fn concurrent_starts_run_one_monitor() {
    let Some(t) = TestEnv::new("concurrent_start") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    t.ok(&[
        "create",
        "--name",
        "c",
        "--rootfs",
        r.to_str().unwrap(),
        "sleep",
        "30",
    ]);
    let a = t
        .rctl_cmd(&["start", "c"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let b = t
        .rctl_cmd(&["start", "c"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
    assert_eq!(ok, 1, "{}{}", stderr(&a), stderr(&b));
    let failed = if a.status.success() { &b } else { &a };
    assert!(
        stderr(failed).contains("already running"),
        "{}",
        stderr(failed)
    );
    let top = t.ok(&["top", "c"]);
    assert_eq!(
        top.lines().filter(|l| l.ends_with("sleep 30")).count(),
        1,
        "{top}"
    );
    t.ok(&["rm", "-f", "c"]);
}

/// `wait` answers for a `--rm` container that is removed while waiting,
/// and for one already removed, as Podman does.
#[test]
fn wait_answers_for_removed_rm_containers() {
    let Some(t) = TestEnv::new("wait_rm") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let args = ["run", "-d", "--rm", "--network", "none", "--name", "quick"];
    let mut run = args.to_vec();
    run.extend(["--rootfs", rs, "sh", "-c", "sleep 1; exit 3"]);
    let id = t.ok(&run);
    assert_eq!(t.ok(&["wait", "quick"]).trim(), "3");
    // The monitor removes it right after recording the exit.
    for _ in 0..200 {
        if t.ok(&["ps", "-aq"]).is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(t.ok(&["ps", "-aq"]), "", "removed");
    assert_eq!(t.ok(&["wait", "quick"]).trim(), "3");
    assert_eq!(t.ok(&["wait", &id.trim()[..12]]).trim(), "3");
    let out = t.rctl(&["wait", "never-was"]);
    assert_eq!(code(&out), 125);
}
