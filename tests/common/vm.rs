//! The systemd VM rig: runs shell steps as the lingering user `rctl-test`
//! inside a booted Debian 12 VM (systemd as PID 1, pure cgroup v2, every
//! controller delegated), for what the bare host cannot show.
//!
//! The image is built by `contrib/vm/build-image.sh` (as root, cached) and
//! booted by `contrib/vm/run.sh` under QEMU's software emulation; a boot
//! costs 10–30 s, so a test file batches all its steps into one [`VmJob`]
//! and boots once. The freshly built `rctl` is on the steps' PATH.
//!
//! Prerequisites (QEMU, the image) follow the rig's rule: with `CI=true` a
//! missing one fails the test, otherwise it is skipped with the reason.
//! When the image is missing and the runner is root, it is built here.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one step may run inside the guest before it is killed, unless
/// the job says otherwise.
const STEP_TIMEOUT_SECS: u64 = 120;

/// The repository's `contrib/vm` directory.
fn contrib_vm() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/vm")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// The directory of the built image, building it first when we are root.
pub fn image() -> Result<PathBuf, String> {
    if !on_path("qemu-system-x86_64") {
        return Err("`qemu-system-x86_64` is missing (package qemu-system-x86)".into());
    }
    let script = contrib_vm().join("build-image.sh");
    let out = Command::new(&script)
        .arg("--path")
        .output()
        .map_err(|e| format!("run `{}`: {e}", script.display()))?;
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if dir.join("ready").exists() {
        return Ok(dir);
    }
    if super::unsafe_free_euid() != 0 {
        return Err(format!(
            "the VM image is not built (as root: {})",
            script.display()
        ));
    }
    eprintln!(
        "building the VM image (about 90 s, once): {}",
        script.display()
    );
    let status = Command::new(&script)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("run `{}`: {e}", script.display()))?;
    if !status.success() || !dir.join("ready").exists() {
        return Err(format!("`{}` failed ({status})", script.display()));
    }
    Ok(dir)
}

/// Remove a share after its run, or keep it (and say where) when
/// `RCTL_VM_KEEP` is set, to read the guest's journal and console.
fn done_with(share: &Path) {
    if std::env::var_os("RCTL_VM_KEEP").is_some() {
        let _ = std::fs::write(share.join("kept"), "RCTL_VM_KEEP\n");
        eprintln!("VM share kept: {}", share.display());
    } else {
        let _ = std::fs::remove_dir_all(share);
    }
}

/// Remove shares of test processes that no longer run (killed runs),
/// except those kept on purpose.
fn clean_stale_shares() {
    let Ok(entries) = std::fs::read_dir("/tmp") else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("rctl-vm-")
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok()
            && !Path::new(&format!("/proc/{pid}")).exists()
            && !e.path().join("kept").exists()
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// What one step printed and how it ended.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub stdout: String,
    pub stderr: String,
    /// The exit code; 124 (137 if it ignored SIGTERM) when the step hit its
    /// time limit in the guest.
    pub code: i32,
}

impl std::fmt::Display for StepResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The results of one boot.
#[derive(Debug)]
pub struct VmRun {
    pub steps: BTreeMap<String, StepResult>,
    /// The guest's serial console and journal, for failure messages.
    pub console: String,
    pub journal: String,
    /// Boot, all steps, and power-off.
    pub elapsed: Duration,
    /// The guest's uptime when its job started (from `out/started`).
    pub booted_after: Option<Duration>,
}

impl VmRun {
    /// The result of step `name`; panics (with the console's end) if the
    /// step left no result.
    pub fn step(&self, name: &str) -> &StepResult {
        self.steps.get(name).unwrap_or_else(|| {
            let tail: Vec<&str> = self.console.lines().rev().take(30).collect();
            panic!(
                "VM step `{name}` left no result; console ends:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            )
        })
    }
}

/// A batch of shell steps, run in order by bash as `rctl-test` in one boot.
///
/// Each step runs with the user's login environment (`XDG_RUNTIME_DIR`,
/// `DBUS_SESSION_BUS_ADDRESS`), `rctl` on PATH, and its own time limit; a
/// failing step does not stop the next.
#[derive(Debug, Default)]
pub struct VmJob {
    steps: Vec<(String, String)>,
    files: Vec<(String, PathBuf)>,
    timeout: Option<Duration>,
    step_timeout: Option<Duration>,
}

impl VmJob {
    pub fn new() -> VmJob {
        VmJob::default()
    }

    /// Add a step: `script` is bash source; `name` is `[a-z0-9_-]+`.
    pub fn step(mut self, name: &str, script: &str) -> VmJob {
        assert!(
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'_'
                    || b == b'-'),
            "bad step name `{name}`"
        );
        assert!(
            self.steps.iter().all(|(n, _)| n != name),
            "step `{name}` twice"
        );
        self.steps.push((name.to_string(), script.to_string()));
        self
    }

    /// Copy a host file into the share: the steps find it at
    /// `$RCTL_VM_FILES/NAME` (read-only for them; the guest has no network,
    /// so this is how images and fixtures get in).
    pub fn file(mut self, name: &str, host_path: impl Into<PathBuf>) -> VmJob {
        assert!(
            !name.is_empty() && !name.contains('/') && name != "." && name != "..",
            "bad file name `{name}`"
        );
        self.files.push((name.to_string(), host_path.into()));
        self
    }

    /// The time limit of each step in the guest (default 120 s).
    pub fn step_timeout(mut self, t: Duration) -> VmJob {
        self.step_timeout = Some(t);
        self
    }

    fn step_secs(&self) -> u64 {
        self.step_timeout
            .map_or(STEP_TIMEOUT_SECS, |t| t.as_secs().max(1))
    }

    /// The time limit for the whole boot (default: 60 s plus each step's limit).
    pub fn timeout(mut self, t: Duration) -> VmJob {
        self.timeout = Some(t);
        self
    }

    /// The job script the guest runs.
    fn script(&self) -> String {
        let mut s = String::from(
            "#!/bin/bash\n# Generated by tests/common/vm.rs: run each step, keep its output.\n\
             cd \"$HOME\"\nexport RCTL_VM_FILES=/mnt/rctl/files\n",
        );
        let secs = self.step_secs();
        for (name, _) in &self.steps {
            s.push_str(&format!(
                "timeout -k 5 {secs} bash /mnt/rctl/steps/{name}.sh \
                 >\"$RCTL_VM_OUT/{name}.stdout\" 2>\"$RCTL_VM_OUT/{name}.stderr\" </dev/null\n\
                 echo $? >\"$RCTL_VM_OUT/{name}.code\"\n"
            ));
        }
        s
    }

    /// Boot the VM once and run every step. `None` means skipped (a
    /// missing prerequisite outside CI, reported on stderr). In CI a missing
    /// prerequisite is an `Err`, as is a VM that produced no results; the
    /// caller panics with it. (Never panics itself, so that a `OnceLock`
    /// holding the result does not retry a failed image build per test.)
    pub fn run(&self) -> Option<Result<VmRun, String>> {
        let image = match image() {
            Ok(dir) => dir,
            Err(e) if super::in_ci() => {
                return Some(Err(format!(
                    "prerequisite missing in CI: {e} (run contrib/setup-host.sh as root)"
                )));
            }
            Err(e) => {
                let _ = super::missing(&e);
                return None;
            }
        };
        Some(self.run_in(&image))
    }

    /// The share: `job`, `steps/NAME.sh`, and `bin/rctl`, readable by the
    /// guest's user.
    fn prepare_share(&self, share: &Path) -> std::io::Result<()> {
        let mode = |path: &Path, mode: u32| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        };
        for dir in ["", "bin", "steps", "files"] {
            std::fs::create_dir_all(share.join(dir))?;
            mode(&share.join(dir), 0o755)?;
        }
        std::fs::write(share.join("job"), self.script())?;
        mode(&share.join("job"), 0o755)?;
        for (name, body) in &self.steps {
            std::fs::write(share.join(format!("steps/{name}.sh")), body)?;
        }
        for (name, from) in &self.files {
            let to = share.join("files").join(name);
            std::fs::copy(from, &to).map_err(|e| {
                std::io::Error::new(e.kind(), format!("copy `{}`: {e}", from.display()))
            })?;
            let perm = std::fs::metadata(&to)?.permissions().mode();
            mode(&to, (perm & 0o755) | 0o444)?;
        }
        std::fs::copy(env!("CARGO_BIN_EXE_rctl"), share.join("bin/rctl"))?;
        mode(&share.join("bin/rctl"), 0o755)
    }

    fn run_in(&self, image: &Path) -> Result<VmRun, String> {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        clean_stale_shares();
        let share = PathBuf::from(format!(
            "/tmp/rctl-vm-{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&share);
        self.prepare_share(&share)
            .map_err(|e| format!("prepare the VM share `{}`: {e}", share.display()))?;

        let timeout = self.timeout.unwrap_or(Duration::from_secs(
            60 + self.step_secs() * self.steps.len() as u64,
        ));
        let started = Instant::now();
        let out = Command::new(contrib_vm().join("run.sh"))
            .arg("--timeout")
            .arg(timeout.as_secs().to_string())
            .arg("--image")
            .arg(image)
            .arg(&share)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("run contrib/vm/run.sh: {e}"))?;
        let elapsed = started.elapsed();
        let read = |rel: &str| std::fs::read_to_string(share.join("out").join(rel)).ok();
        let console = read("console.log").unwrap_or_default();
        let journal = read("journal").unwrap_or_default();
        let booted_after = read("started")
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map(Duration::from_secs_f64);
        // run.sh exits with the job's code (the job script always ends 0)
        // or 124/125/2 when the VM itself failed.
        if !out.status.success() {
            let tail: Vec<&str> = console.lines().rev().take(40).collect();
            // Kept for reading (console.log and whatever the guest wrote),
            // also by the next run's clean-up of stale shares.
            let _ = std::fs::write(share.join("kept"), "failed run\n");
            return Err(format!(
                "the VM run failed ({}; share kept in {}): {}\nconsole ends:\n{}",
                out.status,
                share.display(),
                String::from_utf8_lossy(&out.stderr).trim(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
        let mut steps = BTreeMap::new();
        for (name, _) in &self.steps {
            let Some(code) = read(&format!("{name}.code")) else {
                continue;
            };
            steps.insert(
                name.clone(),
                StepResult {
                    stdout: read(&format!("{name}.stdout")).unwrap_or_default(),
                    stderr: read(&format!("{name}.stderr")).unwrap_or_default(),
                    code: code.trim().parse().unwrap_or(-1),
                },
            );
        }
        done_with(&share);
        eprintln!(
            "VM run: {} steps in {:.1} s (job started at guest uptime {})",
            steps.len(),
            elapsed.as_secs_f64(),
            booted_after.map_or("?".into(), |d| format!("{:.1} s", d.as_secs_f64()))
        );
        Ok(VmRun {
            steps,
            console,
            journal,
            elapsed,
            booted_after,
        })
    }
}
