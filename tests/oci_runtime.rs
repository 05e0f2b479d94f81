//! `--runtime runc`: the same spec run by rctl's own runtime and by runc,
//! compared (runc as a behaviour oracle), plus the lifecycle through the
//! monitor (`--rm`, a detached container stopped by `rctl stop`).

mod common;

use std::path::Path;
use std::process::Output;

use common::{TestEnv, stderr, stdout};

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn runc_present() -> bool {
    ["/usr/sbin/runc", "/usr/bin/runc", "/sbin/runc"]
        .iter()
        .any(|p| Path::new(p).exists())
}

/// A test env with runc installed, or a skip (a failure in CI).
fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    if !runc_present() {
        return common::missing("runc (Debian package `runc`)");
    }
    Some(t)
}

/// Run `ARGS` in a busybox root with rctl's runtime and with runc.
fn both(t: &TestEnv, root: &Path, args: &[&str]) -> (Output, Output) {
    let mut with_runc = vec!["--network", "none", "--runtime", "runc"];
    with_runc.extend_from_slice(args);
    let mut own = vec!["--network", "none"];
    own.extend_from_slice(args);
    (t.run_in(root, &own), t.run_in(root, &with_runc))
}

fn field(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("{name} missing in {text}"))
        .trim()
        .to_string()
}

#[test]
fn exit_codes_match_rctls_runtime() {
    let Some(t) = env("oci_exit") else { return };
    let r = t.busybox_rootfs("rootfs");
    for (args, want) in [
        (&["true"][..], 0),
        (&["sh", "-c", "exit 7"][..], 7),
        // PID 1 of a PID namespace cannot SIGKILL itself, with either runtime.
        (&["sh", "-c", "kill -9 $$"][..], 0),
        (&["sh", "-c", "sh -c 'kill -9 $$'; exit $?"][..], 137),
        (&["no-such-command"][..], 127),
    ] {
        let (own, runc) = both(&t, &r, args);
        assert_eq!(code(&own), want, "rctl {args:?}: {}", stderr(&own));
        assert_eq!(code(&runc), want, "runc {args:?}: {}", stderr(&runc));
    }
    let (_, runc) = both(&t, &r, &["no-such-command"]);
    // Every one was `--rm`, the failed starts too.
    assert_eq!(stdout(&t.rctl(&["ps", "-a", "-q"])).trim(), "");
    let tty = t.rctl(&[
        "run",
        "--rm",
        "-t",
        "--runtime",
        "runc",
        "--rootfs",
        r.to_str().unwrap(),
        "true",
    ]);
    assert_eq!(code(&tty), 125, "{}", stderr(&tty));
    assert!(stderr(&tty).contains("-t is not supported with --runtime"));
    assert!(
        stderr(&runc).contains("no-such-command"),
        "{}",
        stderr(&runc)
    );
}

#[test]
fn the_oracle_sees_the_same_container() {
    let Some(t) = env("oci_view") else { return };
    let r = t.busybox_rootfs("rootfs");
    let script = "cat /proc/self/uid_map; cat /proc/self/gid_map; hostname; id; \
                  cat /proc/self/status; ls /dev; cat /proc/1/cmdline | tr '\\0' ' '";
    for extra in [&[][..], &["--cap-drop", "all", "--cap-add", "net_raw"][..]] {
        let mut args = vec!["--hostname", "oracle"];
        args.extend_from_slice(extra);
        args.extend(["sh", "-c", script]);
        let (own, runc) = both(&t, &r, &args);
        assert_eq!(code(&own), 0, "{}", stderr(&own));
        assert_eq!(code(&runc), 0, "{}", stderr(&runc));
        let (a, b) = (stdout(&own), stdout(&runc));
        let maps = |s: &str| s.lines().take(2).collect::<Vec<_>>().join("\n");
        assert_eq!(maps(&a), maps(&b), "uid/gid maps");
        assert!(b.contains("oracle"), "{b}");
        assert!(b.contains("uid=0(root) gid=0(root)"), "{b}");
        for f in [
            "CapEff",
            "CapPrm",
            "CapBnd",
            "CapInh",
            "CapAmb",
            "NoNewPrivs",
            "Seccomp",
        ] {
            assert_eq!(field(&a, f), field(&b, f), "{f} ({extra:?})");
        }
    }
}

#[test]
fn rm_and_stop_work_through_the_monitor() {
    let Some(t) = env("oci_life") else { return };
    let r = t.busybox_rootfs("rootfs");
    let root = r.to_str().unwrap();
    let out = t.rctl(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--runtime",
        "runc",
        "--rootfs",
        root,
        "true",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&t.rctl(&["ps", "-a", "-q"])).trim(), "");

    let id = t.ok(&[
        "run",
        "-d",
        "--name",
        "sleeper",
        "--network",
        "none",
        "--runtime",
        "runc",
        "--rootfs",
        root,
        "sleep",
        "600",
    ]);
    assert!(!id.trim().is_empty());
    let rt = t.ok(&["inspect", "-f", "{{.HostConfig.Runtime}}", "sleeper"]);
    assert!(rt.trim().ends_with("/runc"), "{rt}");
    let ex = t.rctl(&["exec", "sleeper", "cat", "/proc/1/cmdline"]);
    assert_eq!(code(&ex), 0, "{}", stderr(&ex));
    assert!(stdout(&ex).starts_with("sleep"), "{}", stdout(&ex));
    let out = t.rctl(&["stop", "-t", "1", "sleeper"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let st = t.ok(&[
        "inspect",
        "-f",
        "{{.State.Status}} {{.State.ExitCode}}",
        "sleeper",
    ]);
    assert_eq!(st.trim(), "exited 137");
    t.ok(&["rm", "sleeper"]);
}

#[test]
fn a_missing_runtime_is_named_and_creates_nothing() {
    let Some(t) = TestEnv::new("oci_missing") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let out = t.rctl(&[
        "create",
        "--runtime",
        "no-such-runtime",
        "--rootfs",
        r.to_str().unwrap(),
        "true",
    ]);
    assert_eq!(code(&out), 125);
    let e = stderr(&out);
    assert!(e.contains("`no-such-runtime` not found"), "{e}");
    assert!(e.contains("`runc`"), "{e}");
    assert_eq!(stdout(&t.rctl(&["ps", "-a", "-q"])).trim(), "");
}

/// Mount options of `path` in `mountinfo` text.
fn mount_options(mountinfo: &str, path: &str) -> String {
    mountinfo
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() > 5 && f[4] == path)
        .map(|f| f[5].to_string())
        .unwrap_or_else(|| panic!("{path} is not a mount point:\n{mountinfo}"))
}

/// Found by the oracle: runc applies the spec's `nosuid,nodev` to the bind
/// mounts of `/etc/hosts` and `/etc/hostname`; rctl's runtime bound them
/// without (a bind ignores the flags unless it is remounted).
#[test]
fn bind_mount_flags_match_runc() {
    let Some(t) = env("oci_bindflags") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let (own, runc) = both(&t, &r, &["cat", "/proc/self/mountinfo"]);
    let (a, b) = (stdout(&own), stdout(&runc));
    for p in ["/etc/hosts", "/etc/hostname"] {
        assert!(mount_options(&b, p).contains("nosuid,nodev"), "runc {p}");
        assert_eq!(mount_options(&a, p), mount_options(&b, p), "{p}");
    }
}
