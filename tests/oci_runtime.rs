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

/// A static probe that makes raw system calls: each argument is
/// `NR[:ARG0]` (hex ARG0), each output line `NR:ARG0 ok` or `NR:ARG0 errno N`.
const PROBE_C: &str = r#"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        long nr = strtol(argv[i], NULL, 10);
        unsigned long a0 = colon ? strtoul(colon + 1, NULL, 16) : 0;
        errno = 0;
        long r = syscall(nr, a0, 0, 0, 0, 0, 0);
        if (r < 0) printf("%s errno %d\n", argv[i], errno);
        else printf("%s ok\n", argv[i]);
    }
    return 0;
}
"#;

/// Build the probe into `root/bin/sysprobe`, or skip (a failure in CI).
fn build_probe(t: &TestEnv, root: &Path) -> Option<()> {
    let src = t.dir.join("sysprobe.c");
    std::fs::write(&src, PROBE_C).unwrap();
    let out = std::process::Command::new("cc")
        .args(["-static", "-O", "-o"])
        .arg(root.join("bin/sysprobe"))
        .arg(&src)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            t.chown_tree(root);
            Some(())
        }
        Ok(o) => common::missing(&format!(
            "a static C build (gcc, libc6-dev): {}",
            String::from_utf8_lossy(&o.stderr)
        ))
        .map(|_| ()),
        Err(e) => common::missing(&format!("cc: {e}")).map(|_| ()),
    }
}

/// The default seccomp profile is an allow-list: a call it does not name
/// fails with ENOSYS, a withheld one with EPERM, `personality` only for
/// harmless values; runc, given the same profile as OCI data (compiled by
/// libseccomp), answers every call the same way as rctl's own compiler.
#[test]
fn seccomp_allow_list_answers_like_runc() {
    let Some(t) = env("oci_seccomp") else { return };
    let r = t.busybox_rootfs("rootfs");
    if build_probe(&t, &r).is_none() {
        return;
    }
    let calls = [
        "39",           // getpid: allowed
        "135:ffffffff", // personality query: allowed
        "135:40000",    // personality(ADDR_NO_RANDOMIZE): not allowed
        "272:0",        // unshare: EPERM
        "250:0",        // keyctl: EPERM
        "425:0",        // io_uring_setup: EPERM
        "435:0",        // clone3: ENOSYS, so libc falls back to clone
        "457:0",        // statmount: not on the list, ENOSYS
        "214:0",        // epoll_ctl_old: never implemented, ENOSYS
    ];
    let mut args = vec!["sysprobe"];
    args.extend(calls);
    let (own, runc) = both(&t, &r, &args);
    assert_eq!(code(&own), 0, "{}", stderr(&own));
    assert_eq!(code(&runc), 0, "{}", stderr(&runc));
    let own = stdout(&own);
    assert_eq!(own, stdout(&runc), "rctl (left) and runc (right) differ");
    let (eperm, enosys) = (libc::EPERM, libc::ENOSYS);
    let want = format!(
        "39 ok\n135:ffffffff ok\n135:40000 errno {enosys}\n272:0 errno {eperm}\n\
         250:0 errno {eperm}\n425:0 errno {eperm}\n435:0 errno {enosys}\n\
         457:0 errno {enosys}\n214:0 errno {enosys}\n"
    );
    assert_eq!(own, want);
    // Unconfined, the same calls reach the kernel: the answers above are
    // the profile's, not the kernel's.
    let mut unconfined = vec!["--security-opt", "seccomp=unconfined"];
    unconfined.extend(&args);
    let (free, _) = both(&t, &r, &unconfined);
    let free = stdout(&free);
    for line in ["135:40000 ok", "272:0 ok"] {
        assert!(free.lines().any(|l| l == line), "{line} in {free}");
    }
    for nr in ["425:0", "435:0", "457:0"] {
        let l = free.lines().find(|l| l.starts_with(nr)).unwrap();
        assert!(
            !l.ends_with(&format!("errno {eperm}")) && !l.ends_with(&format!("errno {enosys}")),
            "{l}: unconfined, the kernel itself answers"
        );
    }
}
