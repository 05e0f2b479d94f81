//! Foundation: rootless entry, id maps, `info`, exit codes, config and paths.
//! Every test runs the real binary as an unprivileged user.

mod common;

use common::{TestEnv, map_triples, stderr, stdout, subid_ranges};

fn expected_map(file: &str, own: u32, env: &TestEnv) -> Vec<(u32, u32, u32)> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut map = vec![(0, own, 1)];
    let mut next = 1;
    for (start, count) in subid_ranges(&text, &env.user) {
        map.push((next, start, count));
        next += count;
    }
    map
}

#[test]
fn unshare_maps_root_to_the_user_and_the_subordinate_ranges() {
    let Some(t) = TestEnv::new("unshare_maps") else {
        return;
    };
    let uid_map = map_triples(&t.ok(&["unshare", "cat", "/proc/self/uid_map"]));
    assert_eq!(uid_map, expected_map("/etc/subuid", t.user.uid, &t));
    assert!(
        uid_map.len() >= 2,
        "a subordinate range must be mapped: {uid_map:?}"
    );
    let gid_map = map_triples(&t.ok(&["unshare", "cat", "/proc/self/gid_map"]));
    assert_eq!(gid_map, expected_map("/etc/subgid", t.user.gid, &t));
    assert_eq!(t.ok(&["unshare", "id", "-u"]).trim(), "0");
    assert_eq!(t.ok(&["unshare", "id", "-g"]).trim(), "0");
}

#[test]
fn later_commands_join_the_same_namespace() {
    let Some(t) = TestEnv::new("same_ns") else {
        return;
    };
    let a = t.ok(&["unshare", "readlink", "/proc/self/ns/user"]);
    let b = t.ok(&["unshare", "readlink", "/proc/self/ns/user"]);
    assert_eq!(a, b);
    let host = std::fs::read_link("/proc/self/ns/user").unwrap();
    assert_ne!(a.trim(), host.to_string_lossy());
    // Mounts made in rctl's mount namespace persist between commands and
    // never show on the host.
    let target = t.data_root().join("mnt-check");
    t.ok(&["unshare", "mkdir", "-p", target.to_str().unwrap()]);
    t.ok(&[
        "unshare",
        "mount",
        "-t",
        "tmpfs",
        "none",
        target.to_str().unwrap(),
    ]);
    let mounts = t.ok(&["unshare", "cat", "/proc/self/mountinfo"]);
    assert!(
        mounts.contains(target.to_str().unwrap()),
        "mount vanished between commands"
    );
    let host_mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(
        !host_mounts.contains(target.to_str().unwrap()),
        "mount leaked to the host"
    );
}

#[test]
fn nested_rctl_inside_unshare_works() {
    let Some(t) = TestEnv::new("nested") else {
        return;
    };
    let bin = t.bin.to_str().unwrap().to_string();
    let out = t.ok(&["unshare", &bin, "unshare", "cat", "/proc/self/uid_map"]);
    assert_eq!(
        map_triples(&out),
        expected_map("/etc/subuid", t.user.uid, &t)
    );
}

#[test]
fn no_subordinate_range_gives_a_single_map_and_one_warning() {
    let Some(mut t) = TestEnv::new("single_map") else {
        return;
    };
    let strip = |file: &str| -> String {
        std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| {
                let owner = l.split(':').next().unwrap_or("");
                owner != t.user.name && owner != t.user.uid.to_string()
            })
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let subuid = t.write_file("etc/subuid", &strip("/etc/subuid"));
    let subgid = t.write_file("etc/subgid", &strip("/etc/subgid"));
    t.extra_env
        .push(("RCTL_SUBUID_FILE".into(), subuid.display().to_string()));
    t.extra_env
        .push(("RCTL_SUBGID_FILE".into(), subgid.display().to_string()));
    let out = t.rctl(&[
        "unshare",
        "cat",
        "/proc/self/uid_map",
        "/proc/self/gid_map",
        "/proc/self/setgroups",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(
        map_triples(&text),
        vec![(0, t.user.uid, 1), (0, t.user.gid, 1)]
    );
    assert!(text.contains("deny"), "setgroups must be denied: {text}");
    let err = stderr(&out);
    assert!(err.contains("warning: no subordinate ids"), "{err}");
    assert!(
        err.contains(&format!("{}:100000:65536", t.user.name)),
        "the warning names the line to add: {err}"
    );
    // The warning is shown once, when the namespace is made.
    let again = t.rctl(&["unshare", "true"]);
    assert!(again.status.success());
    assert!(!stderr(&again).contains("warning"), "{}", stderr(&again));
}

#[test]
fn malformed_subuid_line_is_an_error_and_creates_nothing() {
    let Some(mut t) = TestEnv::new("malformed") else {
        return;
    };
    let file = t.write_file(
        "etc/subuid",
        &format!("# ok\n{}:100000:65536\nthis line is broken\n", t.user.name),
    );
    t.extra_env
        .push(("RCTL_SUBUID_FILE".into(), file.display().to_string()));
    for args in [&["unshare", "true"][..], &["info"][..]] {
        let out = t.rctl(args);
        assert_eq!(out.status.code(), Some(125), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&file.display().to_string()),
            "names the file: {err}"
        );
        assert!(err.contains("line 3"), "names the line: {err}");
        assert!(err.contains("hint:"), "says how to fix it: {err}");
    }
    assert!(!t.runroot().exists(), "runroot was created");
    assert!(!t.data_root().exists(), "storage root was created");
    assert!(!t.home.join(".local").exists());
}

#[test]
fn info_json_reports_rootless_maps_and_overlay() {
    let Some(t) = TestEnv::new("info_json") else {
        return;
    };
    let out = t.ok(&["info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("info --format json is JSON");
    assert_eq!(v["host"]["rootless"], true);
    assert_eq!(
        v["store"]["overlay"], true,
        "kernel overlay in the user namespace: {}",
        v["store"]["overlay_error"]
    );
    assert_eq!(v["store"]["driver"], "overlay");
    let uid_map = v["host"]["uid_map"].as_array().unwrap();
    assert_eq!(uid_map[0]["container_id"], 0);
    assert_eq!(uid_map[0]["host_id"], t.user.uid);
    assert_eq!(
        uid_map.len(),
        expected_map("/etc/subuid", t.user.uid, &t).len()
    );
    assert!(v["host"]["gid_map"].as_array().unwrap().len() >= 2);
    assert!(v["host"]["helpers"]["newuidmap"].is_string());
    let root = t.data_root();
    assert_eq!(v["store"]["root"], root.display().to_string());
    // Storage directories are private.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&root).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "storage root mode");
    // The human form carries the same facts.
    let human = t.ok(&["info"]);
    assert!(human.contains("rootless: true"), "{human}");
    assert!(human.contains("kernelOverlay: true"), "{human}");
}

#[test]
fn unknown_command_and_bad_flag_exit_125() {
    let Some(t) = TestEnv::new("bad_cli") else {
        return;
    };
    for args in [
        &["frobnicate"][..],
        &["info", "--bogus"][..],
        &["--log-level", "loud", "info"][..],
        &[][..],
    ] {
        let out = t.rctl(args);
        assert_eq!(out.status.code(), Some(125), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
    assert_eq!(t.rctl(&["--help"]).status.code(), Some(0));
    assert!(!t.runroot().exists());
}

#[test]
fn unshare_passes_exit_codes_through() {
    let Some(t) = TestEnv::new("exit_codes") else {
        return;
    };
    assert_eq!(
        t.rctl(&["unshare", "sh", "-c", "exit 7"]).status.code(),
        Some(7)
    );
    let nf = t.rctl(&["unshare", "no-such-command-here"]);
    assert_eq!(nf.status.code(), Some(127));
    assert!(stderr(&nf).contains("no-such-command-here"));
    assert_eq!(t.rctl(&["unshare", "/etc/passwd"]).status.code(), Some(126));
    // A shell is the default command.
    let mut cmd = t.rctl_cmd(&["unshare"]);
    cmd.env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::piped());
    let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"id -u; exit 3\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out).trim(), "0");
}

#[test]
fn missing_xdg_runtime_dir_falls_back_with_a_warning() {
    let Some(mut t) = TestEnv::new("no_runtime_dir") else {
        return;
    };
    let fallback = std::path::PathBuf::from(format!("/tmp/rctl-run-{}", t.user.uid));
    t.extra_runroots.push(fallback.clone());
    let mut cmd = t.rctl_cmd(&["unshare", "id", "-u"]);
    cmd.env_remove("XDG_RUNTIME_DIR");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "0");
    let err = stderr(&out);
    assert!(err.contains("XDG_RUNTIME_DIR is not set"), "{err}");
    assert!(err.contains(&fallback.display().to_string()), "{err}");
    assert!(fallback.join("pause.pid").exists());
}

#[test]
fn concurrent_first_commands_share_one_pause_process() {
    let Some(t) = TestEnv::new("concurrent") else {
        return;
    };
    let children: Vec<_> = (0..8)
        .map(|_| {
            t.rctl_cmd(&["unshare", "readlink", "/proc/self/ns/user"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for o in &outs {
        assert!(o.status.success(), "{}", stderr(o));
    }
    let first = stdout(&outs[0]);
    assert!(
        outs.iter().all(|o| stdout(o) == first),
        "all joined one namespace"
    );
    let pauses = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "rctl-pause")
                && std::fs::read_link(e.path().join("ns/user"))
                    .is_ok_and(|l| l.to_string_lossy() == first.trim())
        })
        .count();
    assert_eq!(pauses, 1);
}

#[test]
fn a_stale_pause_file_is_replaced() {
    let Some(t) = TestEnv::new("stale_pause") else {
        return;
    };
    t.ok(&["unshare", "true"]);
    let pid = TestEnv::pause_pid_of(&t.runroot()).expect("pause process runs");
    std::process::Command::new("kill")
        .arg("-KILL")
        .arg(pid.to_string())
        .status()
        .unwrap();
    for _ in 0..100 {
        if !std::path::Path::new(&format!("/proc/{pid}/ns/user")).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(t.ok(&["unshare", "id", "-u"]).trim(), "0");
    let new_pid = TestEnv::pause_pid_of(&t.runroot()).expect("a new pause process runs");
    assert_ne!(pid, new_pid);
}

#[test]
fn relative_root_and_bad_config_are_errors() {
    let Some(t) = TestEnv::new("bad_config") else {
        return;
    };
    let out = t.rctl(&["--root", "relative/dir", "info"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("--root"), "{}", stderr(&out));
    let cfg = t.home.join(".config/rctl/rctl.toml");
    t.write_file(
        cfg.strip_prefix(&t.dir).unwrap().to_str().unwrap(),
        "[storage]\nrooot = \"/x\"\n",
    );
    let out = t.rctl(&["info"]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(
        err.contains(&cfg.display().to_string()) && err.contains("rooot"),
        "{err}"
    );
    assert!(!t.runroot().exists());
}

#[test]
fn config_file_sets_the_storage_root() {
    let Some(t) = TestEnv::new("config_root") else {
        return;
    };
    let root = t.dir.join("custom-store");
    let cfg = format!("[storage]\nroot = \"{}\"\n", root.display());
    t.write_file("home/.config/rctl/rctl.toml", &cfg);
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["info", "--format", "json"])).unwrap();
    assert_eq!(v["store"]["root"], root.display().to_string());
    assert!(root.is_dir());
    assert!(!t.data_root().exists());
}

#[test]
fn a_range_over_the_users_own_id_is_refused_with_the_line() {
    let Some(mut t) = TestEnv::new("own_id_range") else {
        return;
    };
    let start = t.user.uid.saturating_sub(10);
    let file = t.write_file("etc/subuid", &format!("{}:{start}:100\n", t.user.name));
    t.extra_env
        .push(("RCTL_SUBUID_FILE".into(), file.display().to_string()));
    let out = t.rctl(&["unshare", "true"]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(err.contains("line 1") && err.contains("own id"), "{err}");
    assert!(!t.runroot().exists());
}

#[test]
fn a_newuidmap_without_setuid_is_diagnosed() {
    let Some(t) = TestEnv::new("no_setuid") else {
        return;
    };
    // A real newuidmap, installed without its setuid bit (a broken package
    // or a copy in $HOME), found first through engine.helper_dirs.
    let dir = t.dir.join("helpers");
    std::fs::create_dir_all(&dir).unwrap();
    for tool in ["newuidmap", "newgidmap"] {
        std::fs::copy(format!("/usr/bin/{tool}"), dir.join(tool)).unwrap();
    }
    if t.user.switch {
        for p in [dir.clone(), dir.join("newuidmap"), dir.join("newgidmap")] {
            std::os::unix::fs::chown(&p, Some(t.user.uid), Some(t.user.gid)).unwrap();
        }
    }
    t.write_file(
        "home/.config/rctl/rctl.toml",
        &format!("[engine]\nhelper_dirs = [\"{}\"]\n", dir.display()),
    );
    let out = t.rctl(&["unshare", "true"]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(
        err.contains("newgidmap") || err.contains("newuidmap"),
        "{err}"
    );
    assert!(
        err.contains("must be setuid root"),
        "names the cause: {err}"
    );
    assert!(err.contains("chmod u+s"), "names the fix: {err}");
    assert!(
        TestEnv::pause_pid_of(&t.runroot()).is_none(),
        "no half-made pause process"
    );
}

#[test]
fn info_and_version_take_go_templates() {
    let Some(t) = TestEnv::new("templates") else {
        return;
    };
    assert_eq!(
        t.ok(&["info", "--format", "{{.host.rootless}} {{.store.driver}}"]),
        "true overlay\n"
    );
    assert_eq!(
        t.ok(&["version", "--format", "{{.Client.Version}}"]).trim(),
        env!("CARGO_PKG_VERSION")
    );
    let out = t.rctl(&["info", "--format", "{{.host.nope}}"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("can't evaluate field nope"),
        "{}",
        stderr(&out)
    );
}
