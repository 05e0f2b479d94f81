//! Concurrency stress: 32 workers of one user run `run --rm`, `create` +
//! `rm`, `run -d` + `rm -f`, `pull` of one image from a real registry, and
//! `ps`, in loops for a
//! bounded time (`RCTL_STRESS_SECS`, default 30; `RCTL_STRESS_WORKERS`,
//! default 32). Every command must succeed, none may report "database is
//! locked", and afterwards no mount, monitor or helper process may be left
//! (checked from `/proc`) and `system check` must find nothing.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::{TestEnv, stderr};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Processes of `uid` (pid, name, command line) in the user namespace of
/// the pause process `pause` or naming `dir` on their command line, except
/// the pause process itself (other tests may run as the same user).
fn processes_of(uid: u32, pause: i32, dir: &str) -> Vec<(i32, String, String)> {
    let ns = |pid: i32| std::fs::read_link(format!("/proc/{pid}/ns/user")).ok();
    let our_ns = ns(pause);
    let skip = pause;
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if pid == skip {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let real_uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|v| v.parse::<u32>().ok());
        let state = status
            .lines()
            .find_map(|l| l.strip_prefix("State:"))
            .unwrap_or("")
            .trim()
            .to_string();
        if real_uid != Some(uid) || state.starts_with('Z') {
            continue;
        }
        let name = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        let cmdline = std::fs::read(e.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if ns(pid) != our_ns && !cmdline.contains(dir) {
            continue;
        }
        out.push((pid, name.trim().to_string(), cmdline));
    }
    out
}

#[test]
fn parallel_run_rm_pull_ps_of_one_user() {
    let Some(t) = common::images::env_with_registry("stress") else {
        return;
    };
    let secs = env_number("RCTL_STRESS_SECS", 30);
    let workers = env_number("RCTL_STRESS_WORKERS", 32) as usize;
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let bb = tar_of(&[
        Entry::Dir("bin", 0o755),
        Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Symlink("bin/true", "busybox"),
        Entry::Symlink("bin/sleep", "busybox"),
    ]);
    let data = tar_of(&[Entry::File("marker", 0o644, b"stress\n".to_vec())]);
    let built = layout.image(
        &[(bb, Compression::Gzip), (data, Compression::Gzip)],
        "amd64",
        &["/bin/true"],
    );
    layout.tag_image(&built, "1");
    reg.push(&layout.dir, "1", "stress/img:1", None);
    let image = format!("{}/stress/img:1", reg.host());
    // Pulled once first: `run`/`create` would try HTTPS for a missing image.
    t.ok(&["pull", "--tls-verify=false", "-q", &image]);

    let deadline = Instant::now() + Duration::from_secs(secs);
    let counts: Mutex<BTreeMap<&str, u64>> = Mutex::new(BTreeMap::new());
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let record = |what: &'static str, args: &[&str], out: std::process::Output| {
        *counts.lock().unwrap().entry(what).or_default() += 1;
        let err = stderr(&out);
        if !out.status.success() || err.contains("database is locked") {
            failures
                .lock()
                .unwrap()
                .push(format!("rctl {args:?}: {}: {err}", out.status));
        }
    };
    std::thread::scope(|s| {
        for w in 0..workers {
            let (t, image, record) = (&t, image.as_str(), &record);
            s.spawn(move || {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    match w % 4 {
                        0 => {
                            let a = ["run", "--rm", "--network", "none", image, "true"];
                            record("run --rm", &a, t.rctl(&a));
                        }
                        1 if n % 2 == 1 => {
                            let name = format!("s{w}-{n}");
                            let a = ["create", "--name", &name, "--network", "none", image];
                            record("create", &a, t.rctl(&a));
                            let a = ["rm", &name];
                            record("rm", &a, t.rctl(&a));
                        }
                        1 => {
                            let name = format!("s{w}-{n}");
                            let a = [
                                "run",
                                "-d",
                                "--name",
                                &name,
                                "--network",
                                "none",
                                image,
                                "sleep",
                                "60",
                            ];
                            record("run -d", &a, t.rctl(&a));
                            let a = ["rm", "-f", &name];
                            record("rm -f", &a, t.rctl(&a));
                        }
                        2 => {
                            let a = ["pull", "--tls-verify=false", "-q", image];
                            record("pull", &a, t.rctl(&a));
                        }
                        _ => {
                            let a = ["ps", "-a"];
                            record("ps", &a, t.rctl(&a));
                        }
                    }
                }
            });
        }
    });
    let counts = counts.into_inner().unwrap();
    let total: u64 = counts.values().sum();
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "stress: {workers} workers, {secs} s: {total} commands {counts:?}, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(counts.len() >= 7, "every kind of command ran: {counts:?}");

    // Nothing is left: no container, no damage, no mount, no process.
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    let out = t.rctl(&["system", "check"]);
    assert!(
        out.status.success(),
        "{}{}",
        common::stdout(&out),
        stderr(&out)
    );
    let pause = TestEnv::pause_pid_of(&t.runroot()).expect("pause process");
    let mountinfo = std::fs::read_to_string(format!("/proc/{pause}/mountinfo")).unwrap();
    let root = t.data_root().display().to_string();
    let leaked: Vec<&str> = mountinfo.lines().filter(|l| l.contains(&root)).collect();
    assert!(leaked.is_empty(), "mounts left: {leaked:#?}");
    // Monitors report the exit before they finish: give them a moment.
    let settle = Instant::now() + Duration::from_secs(20);
    loop {
        let left = processes_of(t.user.uid, pause, &t.dir.display().to_string());
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < settle, "processes left: {left:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
