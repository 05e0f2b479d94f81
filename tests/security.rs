//! Security defaults and the attack classes of shared/DESIGN.md, one
//! regression test each: every test fails if its defence is removed.

mod common;

use std::os::unix::fs::symlink;

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn status_field(text: &str, field: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("{field} missing in {text}"))
        .trim()
        .to_string()
}

/// CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
/// NET_BIND_SERVICE SYS_CHROOT SETFCAP.
const PODMAN_DEFAULT_CAPS: &str = "00000000800405fb";

#[test]
fn default_capabilities_equal_podmans() {
    let Some(t) = TestEnv::new("sec_caps") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let s = stdout(&t.run_in(&r, &["cat", "/proc/self/status"]));
    for f in ["CapPrm", "CapEff", "CapBnd"] {
        assert_eq!(status_field(&s, f), PODMAN_DEFAULT_CAPS, "{f}");
    }
    assert_eq!(status_field(&s, "CapInh"), "0000000000000000");
    assert_eq!(status_field(&s, "CapAmb"), "0000000000000000");
    assert_eq!(status_field(&s, "NoNewPrivs"), "0");
    let s = stdout(&t.run_in(
        &r,
        &[
            "--cap-drop",
            "all",
            "--cap-add",
            "net_raw",
            "cat",
            "/proc/self/status",
        ],
    ));
    assert_eq!(status_field(&s, "CapBnd"), "0000000000002000");
    let s = stdout(&t.run_in(
        &r,
        &[
            "--security-opt",
            "no-new-privileges",
            "cat",
            "/proc/self/status",
        ],
    ));
    assert_eq!(status_field(&s, "NoNewPrivs"), "1");
    // A non-root user keeps only the bounding set.
    let s = stdout(&t.run_in(&r, &["--user", "1000", "cat", "/proc/self/status"]));
    assert_eq!(status_field(&s, "CapEff"), "0000000000000000");
    assert_eq!(status_field(&s, "CapBnd"), PODMAN_DEFAULT_CAPS);
}

#[test]
fn seccomp_is_active_by_default() {
    let Some(t) = TestEnv::new("sec_seccomp") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let s = stdout(&t.run_in(&r, &["cat", "/proc/self/status"]));
    assert_eq!(status_field(&s, "Seccomp"), "2");
    // Even with CAP_SYS_ADMIN added, the profile refuses new namespaces.
    let out = t.run_in(&r, &["--cap-add", "SYS_ADMIN", "unshare", "-m", "true"]);
    assert_ne!(code(&out), 0, "unshare must be refused: {}", stderr(&out));
    let out = t.run_in(
        &r,
        &[
            "--cap-add",
            "SYS_ADMIN",
            "--security-opt",
            "seccomp=unconfined",
            "unshare",
            "-m",
            "true",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let s = stdout(&t.run_in(
        &r,
        &[
            "--security-opt",
            "seccomp=unconfined",
            "cat",
            "/proc/self/status",
        ],
    ));
    assert_eq!(status_field(&s, "Seccomp"), "0");
    let s = stdout(&t.run_in(&r, &["--privileged", "cat", "/proc/self/status"]));
    assert_eq!(status_field(&s, "Seccomp"), "0");
    assert_ne!(status_field(&s, "CapBnd"), PODMAN_DEFAULT_CAPS);
}

#[test]
fn masked_and_read_only_paths() {
    let Some(t) = TestEnv::new("sec_masked") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let out = t.run_in(
        &r,
        &["sh", "-c", "wc -c < /proc/keys; wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; echo x > /proc/sys/kernel/hostname && echo WROTE; echo x > /proc/sysrq-trigger && echo WROTE2; true"],
    );
    let o = stdout(&out);
    let lines: Vec<&str> = o.lines().take(3).collect();
    assert_eq!(lines, ["0", "0", "0"], "{o}{}", stderr(&out));
    assert!(!o.contains("WROTE"), "{o}");
    // /sys is read-only.
    let out = t.run_in(
        &r,
        &["sh", "-c", "touch /sys/x 2>/dev/null && echo WROTE; true"],
    );
    assert!(!stdout(&out).contains("WROTE"));
    // --privileged lifts the masks.
    let out = t.run_in(
        &r,
        &["--privileged", "sh", "-c", "wc -c < /proc/timer_list"],
    );
    assert_ne!(stdout(&out).trim(), "0");
}

/// CVE-2019-5736: a container must not be able to open the rctl binary
/// (through /proc/PID/exe of rctl's init or an exec'ing rctl) for writing.
#[test]
fn proc_exe_of_rctl_is_not_writable() {
    let Some(t) = TestEnv::new("sec_proc_exe") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    // A copy of rctl the user owns, as in a user's ~/.cargo/bin.
    let bin = t.dir.join("own-bin/rctl");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(&t.bin, &bin).unwrap();
    t.chown_tree(bin.parent().unwrap());
    let before = std::fs::read(&bin).unwrap();
    let out = t
        .command(&bin)
        .args(["run", "--rm", "--init", "--rootfs", r.to_str().unwrap(), "sh", "-c"])
        .arg("echo EVIL >> /proc/1/exe && echo WROTE; readlink /proc/1/exe || echo NOLINK; echo x >> /proc/self/exe && echo WROTE2; true")
        .output()
        .unwrap();
    let o = stdout(&out);
    assert!(!o.contains("WROTE"), "{o}");
    assert!(
        o.contains("NOLINK"),
        "/proc/1/exe must not be readable: {o}"
    );
    assert_eq!(std::fs::read(&bin).unwrap(), before, "rctl was modified");
}

/// CVE-2024-21626: no descriptor of rctl's leaks into the container, and
/// its working directory is inside the root filesystem, for run and exec.
#[test]
fn no_leaked_fds_and_cwd_inside_the_rootfs() {
    let Some(t) = TestEnv::new("sec_fds") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let bin = t.bin.to_str().unwrap().to_string();
    // Hand rctl an inherited descriptor (7) on a host directory.
    let script = format!(
        "exec 7< /; exec {bin} run --rm --rootfs {rs} sh -c 'ls /proc/self/fd; readlink /proc/self/cwd; readlink /proc/self/fd/7 || echo no7'"
    );
    let out = t
        .command("/bin/sh")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let o = stdout(&out);
    let fds: Vec<&str> = o.lines().take_while(|l| l.parse::<u32>().is_ok()).collect();
    assert_eq!(fds, ["0", "1", "2", "3"], "{o}{}", stderr(&out));
    assert!(o.contains("\n/\n"), "cwd must be / inside: {o}");
    assert!(o.contains("no7"), "{o}");
    t.ok(&["run", "-d", "--name", "c", "--rootfs", rs, "sleep", "30"]);
    let script = format!(
        "exec 7< /; exec {bin} exec -w /tmp c sh -c 'ls /proc/self/fd; readlink /proc/self/cwd'"
    );
    let out = t
        .command("/bin/sh")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let o = stdout(&out);
    let fds: Vec<&str> = o.lines().take_while(|l| l.parse::<u32>().is_ok()).collect();
    assert_eq!(fds, ["0", "1", "2", "3"], "{o}{}", stderr(&out));
    assert!(o.ends_with("/tmp\n"), "{o}");
    t.ok(&["rm", "-f", "c"]);
}

/// CVE-2019-16884 / CVE-2025-31133 / CVE-2021-30465: symlinks in an image
/// where rctl mounts (`/proc`, `/dev`, `/dev/null`, `/etc/hosts`) never
/// redirect a mount or a write to the host.
#[test]
fn image_symlinks_cannot_redirect_mounts() {
    let Some(t) = TestEnv::new("sec_symlinks") else {
        return;
    };
    let victim = t.write_file("victim/file", "host data\n");
    let victim_dir = t.dir.join("victim");
    t.chown_tree(&victim_dir);

    // /proc pointing at a host directory: refused, nothing mounted there.
    let r = t.busybox_rootfs("r-proc");
    symlink(&victim_dir, r.join("proc")).unwrap();
    t.chown_tree(&r);
    let out = t.run_in(&r, &["true"]);
    assert_eq!(code(&out), 125, "{}", stderr(&out));
    assert!(stderr(&out).contains("/proc"), "{}", stderr(&out));

    // /dev pointing at a host directory: refused too.
    let r = t.busybox_rootfs("r-dev");
    symlink(&victim_dir, r.join("dev")).unwrap();
    t.chown_tree(&r);
    let out = t.run_in(&r, &["true"]);
    assert_eq!(code(&out), 125, "{}", stderr(&out));

    // /dev/null pointing at a host file: /dev is a fresh tmpfs, the real
    // null device is bound in, and writes go nowhere.
    let r = t.busybox_rootfs("r-null");
    std::fs::create_dir_all(r.join("dev")).unwrap();
    symlink(&victim, r.join("dev/null")).unwrap();
    t.chown_tree(&r);
    let out = t.run_in(
        &r,
        &["sh", "-c", "echo EVIL > /dev/null; cat /dev/null | wc -c"],
    );
    assert_eq!(stdout(&out).trim(), "0", "{}", stderr(&out));

    // /etc/hosts pointing at a host file: resolved inside the rootfs only.
    let r = t.busybox_rootfs("r-hosts");
    symlink(&victim, r.join("etc/hosts")).unwrap();
    t.chown_tree(&r);
    let out = t.run_in(&r, &["sh", "-c", "echo EVIL >> /etc/hosts; cat /etc/hosts"]);
    assert!(
        code(&out) == 125 || stdout(&out).contains("localhost"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "host data\n");
    assert_eq!(std::fs::read_dir(&victim_dir).unwrap().count(), 1);
}

/// CVE-2024-9676: `--user` names are looked up in the image's own files,
/// never through a symlink that leads to the host's.
#[test]
fn user_names_resolve_inside_the_rootfs_only() {
    let Some(t) = TestEnv::new("sec_user") else {
        return;
    };
    let host_passwd = t.write_file("host-passwd", "mallory:x:4242:4242::/:/bin/sh\n");
    let r = t.busybox_rootfs("rootfs");
    std::fs::remove_file(r.join("etc/passwd")).unwrap();
    symlink(&host_passwd, r.join("etc/passwd")).unwrap();
    t.chown_tree(&r);
    let out = t.run_in(&r, &["--user", "mallory", "id", "-u"]);
    assert_eq!(code(&out), 125, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("mallory"), "{}", stderr(&out));
}
