//! Containers end to end: `run` exit codes, the detached lifecycle through
//! the monitor, logs, exec, names and ids, overlay layers, process
//! settings. Real runtime, real binary, unprivileged user.

mod common;

use std::os::unix::fs::PermissionsExt;

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
fn process_settings_follow_docker_semantics() {
    let Some(t) = TestEnv::new("process_settings") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let envf = t.write_file("env.list", "# comment\nFROM_FILE=1\nSHARED=file\n");
    let out = t.run_in(
        &r,
        &[
            "--env-file",
            envf.to_str().unwrap(),
            "-e",
            "SHARED=flag",
            "-w",
            "/work/dir",
            "--hostname",
            "box",
            "--entrypoint",
            "/bin/sh",
            "-c",
            "echo $FROM_FILE $SHARED $(pwd) $(hostname) $(cat /etc/hostname) $HOME",
        ],
    );
    assert_eq!(
        stdout(&out),
        "1 flag /work/dir box box /root\n",
        "{}",
        stderr(&out)
    );
    // --entrypoint with a JSON array, CMD from the command line.
    let out = t.run_in(&r, &["--entrypoint", r#"["/bin/echo","a"]"#, "b"]);
    assert_eq!(stdout(&out), "a b\n");
    // --user by name (from the container's /etc/passwd) and by number.
    let out = t.run_in(
        &r,
        &[
            "--user",
            "alice",
            "sh",
            "-c",
            "id -u; id -g; id -G; echo $HOME",
        ],
    );
    assert_eq!(
        stdout(&out),
        "1000\n1000\n1000 10\n/home/alice\n",
        "{}",
        stderr(&out)
    );
    let out = t.run_in(&r, &["--user", "4242:4243", "sh", "-c", "id -u; id -g"]);
    assert_eq!(stdout(&out), "4242\n4243\n");
    let out = t.run_in(&r, &["--user", "mallory", "true"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("mallory"));
    // --init: PID 1 is the init, the payload runs beside it and its status passes through.
    let out = t.run_in(&r, &["--init", "sh", "-c", "echo $$; exit 9"]);
    assert_eq!(code(&out), 9);
    assert_eq!(stdout(&out), "2\n");
    // Loopback is up in --network none.
    let out = t.run_in(&r, &["cat", "/sys/class/net/lo/operstate"]);
    assert_ne!(stdout(&out).trim(), "down", "{}", stderr(&out));
    // The generated files are bind-mounted, never written into the image
    // (at most an empty mount point is created).
    for f in ["etc/hosts", "etc/hostname", "etc/resolv.conf"] {
        assert!(
            std::fs::read(r.join(f)).unwrap_or_default().is_empty(),
            "{f}"
        );
    }
}

#[test]
fn overlay_layers_stack_and_writes_stay_in_the_container() {
    let Some(t) = TestEnv::new("overlay_layers") else {
        return;
    };
    let lower = t.busybox_rootfs("layer1");
    std::fs::write(lower.join("etc/motd"), "lower\n").unwrap();
    std::fs::write(lower.join("etc/only-lower"), "x\n").unwrap();
    let upper = t.dir.join("layer2");
    std::fs::create_dir_all(upper.join("etc")).unwrap();
    std::fs::write(upper.join("etc/motd"), "upper\n").unwrap();
    t.chown_tree(&lower);
    t.chown_tree(&upper);
    let l = lower.to_str().unwrap();
    let u = upper.to_str().unwrap();
    let out = t.rctl(&[
        "run",
        "--name",
        "ov",
        "--rootfs",
        "--rootfs-layers",
        u,
        l,
        "sh",
        "-c",
        "cat /etc/motd /etc/only-lower; echo new > /etc/motd; rm /etc/only-lower; touch /created",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "upper\nx\n");
    // The layers are untouched; the container's writes persist across starts.
    assert_eq!(
        std::fs::read_to_string(upper.join("etc/motd")).unwrap(),
        "upper\n"
    );
    assert!(lower.join("etc/only-lower").exists());
    assert!(!lower.join("created").exists());
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "ov"])).unwrap();
    assert_eq!(v[0]["GraphDriver"]["Name"], "overlay");
    assert_eq!(v[0]["GraphDriver"]["Data"]["LowerDir"], format!("{u}:{l}"));
    let out = t.rctl(&["start", "-a", "ov"]);
    assert_eq!(
        stdout(&out),
        "new\n",
        "the second start sees the first one's writes"
    );
    // DIR:O: an overlay over one directory that stays unchanged.
    let out = t.rctl(&[
        "run",
        "--rm",
        "--rootfs",
        &format!("{l}:O"),
        "sh",
        "-c",
        "touch /x && ls /x",
    ]);
    assert_eq!(stdout(&out), "/x\n", "{}", stderr(&out));
    assert!(!lower.join("x").exists());
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
        "a",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "sleep 30 & wait",
    ]);
    // The shell starts its child a moment after `run -d` returns.
    let mut top = t.ok(&["top", "a"]);
    for _ in 0..100 {
        if top.lines().any(|l| l.ends_with("  sleep 30")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        top = t.ok(&["top", "a"]);
    }
    let line = top
        .lines()
        .find(|l| l.ends_with("  sleep 30"))
        .unwrap_or_else(|| panic!("{top}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!((cols[0], cols[2]), ("0", "1"), "{top}");
    let pid_before = t.ok(&["inspect", "a"]);
    t.ok(&["restart", "-t", "0", "a"]);
    let pid_after = t.ok(&["inspect", "a"]);
    let p =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()[0]["State"]["Pid"].clone();
    assert_ne!(p(&pid_before), p(&pid_after));
    assert_eq!(t.ok(&["port", "a"]), "");
    t.ok(&["rename", "a", "b"]);
    assert_eq!(code(&t.rctl(&["inspect", "a"])), 125);
    t.ok(&["create", "--rootfs", rs, "true"]);
    let pruned = t.ok(&["container", "prune", "-f"]);
    assert_eq!(pruned.lines().count(), 1, "only the created one: {pruned}");
    assert_eq!(t.ok(&["ps", "-aq"]).lines().count(), 1);
    t.ok(&["rm", "-f", "b"]);
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
fn export_writes_the_container_filesystem() {
    let Some(t) = TestEnv::new("export") else {
        return;
    };
    let lower = t.busybox_rootfs("layer");
    let l = lower.to_str().unwrap();
    t.ok(&[
        "run",
        "--name",
        "e",
        "--rootfs",
        &format!("{l}:O"),
        "sh",
        "-c",
        "echo data > /new-file; rm /etc/group",
    ]);
    let tarball = t.dir.join("out.tar");
    t.ok(&["export", "-o", tarball.to_str().unwrap(), "e"]);
    let list = std::process::Command::new("tar")
        .arg("-tf")
        .arg(&tarball)
        .output()
        .unwrap();
    let names = stdout(&list);
    assert!(
        names
            .lines()
            .any(|n| n.trim_start_matches("./") == "new-file"),
        "{names}"
    );
    assert!(
        names
            .lines()
            .any(|n| n.trim_start_matches("./") == "bin/busybox")
    );
    assert!(
        !names
            .lines()
            .any(|n| n.trim_start_matches("./") == "etc/group"),
        "whiteouts hide removed files"
    );
    let out = t.rctl(&["export", "nope"]);
    assert_eq!(code(&out), 125);
}

#[test]
fn cp_copies_both_ways_and_stays_confined() {
    let Some(t) = TestEnv::new("cp") else { return };
    let lower = t.busybox_rootfs("layer");
    let l = lower.to_str().unwrap();
    let host_file = t.write_file("in/script.sh", "echo copied\n");
    std::fs::set_permissions(
        &host_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o750),
    )
    .unwrap();
    // A link in the image that points at a host path.
    let victim = t.write_file("victim", "host\n");
    std::os::unix::fs::symlink(&victim, lower.join("tmp/evil")).unwrap();
    t.chown_tree(&lower);
    t.ok(&[
        "create",
        "--name",
        "c",
        "--rootfs",
        &format!("{l}:O"),
        "sh",
        "/tmp/script.sh",
    ]);
    // Into a stopped container (its overlay is mounted for the copy).
    t.ok(&["cp", host_file.to_str().unwrap(), "c:/tmp/"]);
    let out = t.rctl(&["start", "-a", "c"]);
    assert_eq!(stdout(&out), "copied\n", "{}", stderr(&out));
    // Writing through the image's symlink is refused; the host file stays.
    let out = t.rctl(&["cp", host_file.to_str().unwrap(), "c:/tmp/evil"]);
    assert_eq!(code(&out), 125, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "host\n");
    // Out of a running container, mode preserved.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "r",
        "--rootfs",
        &format!("{l}:O"),
        "sh",
        "-c",
        "mkdir -p /d/e && echo x > /d/e/f && chmod 640 /d/e/f && touch /ready && sleep 30",
    ]);
    let dest = t.dir.join("out");
    std::fs::create_dir_all(&dest).unwrap();
    t.chown_tree(&dest);
    let mut tries = 0;
    while code(&t.rctl(&["exec", "r", "test", "-f", "/ready"])) != 0 && tries < 50 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        tries += 1;
    }
    t.ok(&["cp", "r:/d", dest.to_str().unwrap()]);
    let f = dest.join("d/e/f");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "x\n");
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // Reading through an escaping link copies the link, never the host file.
    t.ok(&["cp", "r:/tmp/evil", dest.join("evil").to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(dest.join("evil"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    t.ok(&["rm", "-f", "r"]);
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
fn attach_streams_output_takes_input_and_passes_the_status() {
    let Some(t) = TestEnv::new("attach") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    t.ok(&[
        "run",
        "-d",
        "-i",
        "--name",
        "a",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "read x; echo got $x; echo err >&2; exit 3",
    ]);
    let mut cmd = t.rctl_cmd(&["attach", "a"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Give the client a moment to connect before the input arrives.
    std::thread::sleep(std::time::Duration::from_millis(200));
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(b"hello\n");
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout(&out), "got hello\n", "{}", stderr(&out));
    assert_eq!(stderr(&out), "err\n");
    assert_eq!(code(&out), 3);
    let out = t.rctl(&["attach", "a"]);
    assert_eq!(code(&out), 125, "not running any more");
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
fn ulimits_and_read_only_root() {
    let Some(t) = TestEnv::new("ulimit_ro") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let out = t.run_in(
        &r,
        &[
            "--ulimit",
            "nofile=100:200",
            "sh",
            "-c",
            "ulimit -n; ulimit -Hn",
        ],
    );
    assert_eq!(stdout(&out), "100\n200\n", "{}", stderr(&out));
    let out = t.run_in(&r, &["--ulimit", "nofile=2:1", "true"]);
    assert_eq!(code(&out), 125);
    let out = t.run_in(&r, &["--ulimit", "bogus=1", "true"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("bogus"));
    let out = t.run_in(
        &r,
        &[
            "--read-only",
            "sh",
            "-c",
            "touch /x 2>/dev/null && echo WROTE; touch /dev/shm/ok && echo tmpfs-ok",
        ],
    );
    assert_eq!(stdout(&out), "tmpfs-ok\n", "{}", stderr(&out));
    assert!(!r.join("x").exists());
}

#[test]
fn logs_follow_since_and_timestamps() {
    let Some(t) = TestEnv::new("logs_follow") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    t.ok(&[
        "run",
        "-d",
        "--name",
        "l",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "echo a; sleep 0.3; echo b",
    ]);
    assert_eq!(t.ok(&["logs", "-f", "l"]), "a\nb\n");
    assert_eq!(t.ok(&["logs", "--since", "1h", "l"]), "a\nb\n");
    assert_eq!(t.ok(&["logs", "--since", "2999-01-01T00:00:00Z", "l"]), "");
    let ts = t.ok(&["logs", "-t", "--tail", "1", "l"]);
    assert!(ts.ends_with("Z b\n") && ts.starts_with("20"), "{ts}");
    let bad = t.rctl(&["logs", "--since", "yesterday-ish", "l"]);
    assert_eq!(code(&bad), 125);
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

#[test]
fn interactive_stdin_is_a_pipe_fed_by_the_monitor() {
    let Some(t) = TestEnv::new("stdin_pipe") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let mut cmd = t.rctl_cmd(&[
        "run",
        "--rm",
        "-i",
        "--rootfs",
        r.to_str().unwrap(),
        "sh",
        "-c",
        "readlink /proc/self/fd/0; cat",
    ]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"line one\nline two\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let o = stdout(&out);
    assert!(
        o.starts_with("pipe:["),
        "the caller's stdin must not enter the container: {o}"
    );
    assert!(o.ends_with("line one\nline two\n"), "{o}{}", stderr(&out));
    assert_eq!(code(&out), 0);
}
