//! The integration test rig: every test runs the real `rctl` binary as an
//! unprivileged user in its own HOME and XDG directories.
//!
//! When the test runner is root (as in CI), commands run as the dedicated
//! user `rctl-test` (created by `contrib/setup-host.sh`) through `setpriv`;
//! otherwise they run as the invoking user. A missing prerequisite fails the
//! test when `CI=true` and skips it, with the reason, otherwise.
#![allow(dead_code)]

pub mod vm;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub mod images;
pub mod net;
pub mod notify_client;
pub mod registry;

pub const TEST_USER: &str = "rctl-test";

/// Who the commands run as.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    /// True when the runner is root and switches to this user with setpriv.
    pub switch: bool,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Fail (in CI) or skip (locally) a test whose prerequisite is missing.
/// Returns `None` for a skip.
pub fn missing(what: &str) -> Option<TestEnv> {
    if in_ci() {
        panic!("prerequisite missing in CI: {what} (run contrib/setup-host.sh as root)");
    }
    eprintln!("SKIPPED: {what} (run contrib/setup-host.sh as root to enable this test)");
    None
}

fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() > 3 && f[0] == name {
            Some((f[2].parse().ok()?, f[3].parse().ok()?))
        } else {
            None
        }
    })
}

fn user_name_of(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() > 3 && f[2] == uid.to_string()).then(|| f[0].to_string())
    })
}

fn current_user() -> Result<TestUser, String> {
    let euid = unsafe_free_euid();
    if euid == 0 {
        let (uid, gid) = lookup_user(TEST_USER)
            .ok_or_else(|| format!("test user `{TEST_USER}` does not exist"))?;
        Ok(TestUser {
            name: TEST_USER.into(),
            uid,
            gid,
            switch: true,
        })
    } else {
        let name = user_name_of(euid).ok_or("the current user has no passwd entry")?;
        let (uid, gid) = lookup_user(&name).ok_or("the current user has no passwd entry")?;
        Ok(TestUser {
            name,
            uid,
            gid,
            switch: false,
        })
    }
}

/// The effective uid, read from /proc so that the tests need no unsafe code.
fn unsafe_free_euid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("parse Uid line")
}

/// Per-process base directory with a copy of the binary that the test
/// user can execute (the build tree may sit under root's 0700 home).
struct Base {
    dir: PathBuf,
    bin: PathBuf,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        clean_stale_bases();
        let dir = PathBuf::from(format!("/tmp/rctl-it-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(dir.join("bin"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = dir.join("bin/rctl");
        std::fs::copy(env!("CARGO_BIN_EXE_rctl"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        Base { dir, bin }
    })
}

/// Remove base directories of test processes that no longer run.
fn clean_stale_bases() {
    let Ok(entries) = std::fs::read_dir("/tmp") else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("rctl-it-") {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Check the host has what every rootless test needs.
fn prerequisites(user: &TestUser) -> Result<(), String> {
    for tool in ["/usr/bin/newuidmap", "/usr/bin/newgidmap"] {
        let m =
            std::fs::metadata(tool).map_err(|_| format!("`{tool}` is missing (package uidmap)"))?;
        if m.mode() & 0o4000 == 0 {
            return Err(format!("`{tool}` is not setuid"));
        }
    }
    let subuid = std::fs::read_to_string("/etc/subuid").unwrap_or_default();
    if !subuid
        .lines()
        .any(|l| l.split(':').next() == Some(user.name.as_str()))
    {
        return Err(format!("no /etc/subuid range for `{}`", user.name));
    }
    if user.switch && !Path::new("/usr/bin/setpriv").exists() {
        return Err("`setpriv` is missing (package util-linux)".into());
    }
    Ok(())
}

/// One test's isolated world: HOME, XDG dirs, and the user to run as.
pub struct TestEnv {
    pub user: TestUser,
    /// Root of this test's directories (owned by the test user, 0700).
    pub dir: PathBuf,
    pub home: PathBuf,
    pub runtime_dir: PathBuf,
    pub bin: PathBuf,
    /// Extra environment for every command.
    pub extra_env: Vec<(String, String)>,
    /// Runroot directories whose pause processes must be stopped at the end.
    pub extra_runroots: Vec<PathBuf>,
}

impl TestEnv {
    /// A fresh environment, or `None` (after printing why) when the host
    /// lacks a prerequisite and we are not in CI.
    pub fn new(name: &str) -> Option<TestEnv> {
        let user = match current_user() {
            Ok(u) => u,
            Err(e) => return missing(&e),
        };
        Self::for_user(name, user)
    }

    /// Like [`TestEnv::new`], but as the user `user_name` (the runner must
    /// be root; `rctl-test2` is the second user of `contrib/setup-host.sh`).
    pub fn new_as(name: &str, user_name: &str) -> Option<TestEnv> {
        if unsafe_free_euid() != 0 {
            return missing(&format!(
                "running as `{user_name}` needs a root test runner"
            ));
        }
        let Some((uid, gid)) = lookup_user(user_name) else {
            return missing(&format!("test user `{user_name}` does not exist"));
        };
        let user = TestUser {
            name: user_name.into(),
            uid,
            gid,
            switch: true,
        };
        Self::for_user(name, user)
    }

    fn for_user(name: &str, user: TestUser) -> Option<TestEnv> {
        if let Err(e) = prerequisites(&user) {
            return missing(&e);
        }
        let base = base();
        let dir = base.dir.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        let home = dir.join("home");
        let runtime_dir = dir.join("run");
        for d in [&dir, &home, &runtime_dir] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
            if user.switch {
                std::os::unix::fs::chown(d, Some(user.uid), Some(user.gid)).unwrap();
            }
        }
        Some(TestEnv {
            user,
            dir,
            home,
            runtime_dir,
            bin: base.bin.clone(),
            extra_env: Vec::new(),
            extra_runroots: Vec::new(),
        })
    }

    /// Write a file the test user can read (and owns), creating parents.
    pub fn write_file(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        if self.user.switch {
            std::os::unix::fs::chown(&path, Some(self.user.uid), Some(self.user.gid)).unwrap();
        }
        path
    }

    /// A command that runs `program` as the test user in this environment.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = if self.user.switch {
            let mut c = Command::new("/usr/bin/setpriv");
            c.arg(format!("--reuid={}", self.user.uid))
                .arg(format!("--regid={}", self.user.gid))
                .arg("--init-groups")
                .arg("--")
                .arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.env_clear()
            .env("HOME", &self.home)
            .env("USER", &self.user.name)
            .env("XDG_RUNTIME_DIR", &self.runtime_dir)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
            .env("LANG", "C.UTF-8")
            .current_dir(&self.home)
            .stdin(Stdio::null());
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// `rctl ARGS...` as a command, to adjust before running.
    pub fn rctl_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(&self.bin);
        cmd.args(args);
        cmd
    }

    /// Run `rctl ARGS...` and collect its output.
    pub fn rctl(&self, args: &[&str]) -> Output {
        self.rctl_cmd(args).output().expect("spawn rctl")
    }

    /// Run `rctl ARGS...`, assert it succeeded, and return its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.rctl(args);
        assert!(
            out.status.success(),
            "rctl {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// The default storage root of this environment.
    pub fn data_root(&self) -> PathBuf {
        self.home.join(".local/share/rctl")
    }

    /// The default runroot of this environment.
    pub fn runroot(&self) -> PathBuf {
        self.runtime_dir.join("rctl")
    }

    /// The pid of the live pause process for `runroot`, if any.
    pub fn pause_pid_of(runroot: &Path) -> Option<i32> {
        let text = std::fs::read_to_string(runroot.join("pause.pid")).ok()?;
        let pid: i32 = text.split_whitespace().next()?.parse().ok()?;
        Path::new(&format!("/proc/{pid}/ns/user"))
            .exists()
            .then_some(pid)
    }

    fn stop_pause(runroot: &Path) {
        if let Some(pid) = Self::pause_pid_of(runroot) {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
        }
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        // Containers a failed test left running (their monitors outlive the
        // pause process otherwise).
        if self.runroot().join("pause.pid").exists() {
            let _ = self
                .rctl_cmd(&["rm", "-fa"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if !self.user.switch {
            // Files owned by subordinate ids can only be removed from inside
            // the namespace when the runner is not root.
            let _ = self
                .command(&self.bin)
                .args(["unshare", "rm", "-rf"])
                .arg(&self.home)
                .arg(&self.runtime_dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        Self::stop_pause(&self.runroot());
        for r in &self.extra_runroots {
            Self::stop_pause(r);
            let _ = std::fs::remove_dir_all(r);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The subordinate ranges of `user` in a subid file's text.
pub fn subid_ranges(text: &str, user: &TestUser) -> Vec<(u32, u32)> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.trim().split(':').collect();
            (f.len() == 3 && (f[0] == user.name || f[0] == user.uid.to_string()))
                .then(|| Some((f[1].parse().ok()?, f[2].parse().ok()?)))?
        })
        .collect()
}

/// Parse a uid_map/gid_map text into triples.
pub fn map_triples(text: &str) -> Vec<(u32, u32, u32)> {
    text.lines()
        .filter_map(|l| {
            let v: Vec<u32> = l
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            (v.len() == 3).then(|| (v[0], v[1], v[2]))
        })
        .collect()
}

impl TestEnv {
    /// A busybox root filesystem at `DIR/rel` (from the host's static
    /// `/bin/busybox`, with its applet links, a passwd and a group file),
    /// owned by the test user. Returns its absolute path.
    pub fn busybox_rootfs(&self, rel: &str) -> PathBuf {
        let root = self.dir.join(rel);
        for d in ["bin", "etc", "tmp", "root", "home/alice"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let bb = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("busybox-static is installed (contrib/setup-host.sh)");
        std::fs::copy(bb, root.join("bin/busybox")).unwrap();
        let list = Command::new(bb).arg("--list").output().unwrap();
        for applet in String::from_utf8_lossy(&list.stdout).lines() {
            if applet != "busybox" && !applet.is_empty() {
                let _ = std::os::unix::fs::symlink("busybox", root.join("bin").join(applet));
            }
        }
        std::fs::write(
            root.join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n",
        )
        .unwrap();
        std::fs::write(
            root.join("etc/group"),
            "root:x:0:\nalice:x:1000:\nwheel:x:10:alice\nnogroup:x:65534:\n",
        )
        .unwrap();
        self.chown_tree(&root);
        root
    }

    /// Import a busybox root filesystem (see `busybox_rootfs`) as image
    /// `name`, with extra `--change` instructions.
    pub fn import_busybox(&self, name: &str, changes: &[&str]) {
        let root = self.busybox_rootfs("rootfs");
        let tar = self.dir.join("rootfs.tar");
        let ok = Command::new("tar")
            .arg("-C")
            .arg(&root)
            .arg("-cf")
            .arg(&tar)
            .arg(".")
            .status()
            .unwrap()
            .success();
        assert!(ok, "tar the busybox root filesystem");
        self.chown_tree(&tar);
        let mut args = vec!["import"];
        for c in changes {
            args.extend(["--change", c]);
        }
        args.extend([tar.to_str().unwrap(), name]);
        self.ok(&args);
    }

    /// Give a tree to the test user.
    pub fn chown_tree(&self, path: &Path) {
        if self.user.switch {
            let ok = Command::new("chown")
                .arg("-R")
                .arg("-h")
                .arg(format!("{}:{}", self.user.uid, self.user.gid))
                .arg(path)
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown {}", path.display());
        }
    }

    /// `rctl run --rm --rootfs ROOT ARGS...` output.
    pub fn run_in(&self, root: &Path, args: &[&str]) -> Output {
        let mut a = vec!["run", "--rm", "--rootfs", root.to_str().unwrap()];
        a.extend_from_slice(args);
        self.rctl(&a)
    }
}
