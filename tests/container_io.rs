//! What a container sees and what flows in and out of it: process
//! settings, overlay layers, stdin, logs, attach, cp, export, ulimits.
//! Real runtime, real binary, unprivileged user.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
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
