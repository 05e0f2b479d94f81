//! The one way rctl runs a helper program (newuidmap, newgidmap, pasta,
//! slirp4netns, fuse-overlayfs, ...): find it, run it, check its exit status,
//! keep its stderr, and turn a failure into an error that names the likely
//! cause and the fix.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The Debian package that ships a helper, for "install it" hints.
pub fn package_of(program: &str) -> &'static str {
    match program {
        "newuidmap" | "newgidmap" => "uidmap",
        "pasta" => "passt",
        "slirp4netns" => "slirp4netns",
        "fuse-overlayfs" => "fuse-overlayfs",
        "ip" => "iproute2",
        "nsenter" => "util-linux",
        _ => "(unknown)",
    }
}

/// Where helper programs are looked for, in order.
#[derive(Debug, Clone, Default)]
pub struct HelperPath {
    dirs: Vec<PathBuf>,
}

impl HelperPath {
    /// Extra directories first, then `$PATH`, then the usual system
    /// directories (a minimal `$PATH` under `env -i` must still find
    /// `/usr/bin/newuidmap`).
    pub fn new(extra: &[PathBuf], path_var: Option<&OsStr>) -> HelperPath {
        let mut dirs: Vec<PathBuf> = extra.to_vec();
        if let Some(p) = path_var {
            dirs.extend(std::env::split_paths(p).filter(|d| d.is_absolute()));
        }
        for d in [
            "/usr/local/bin",
            "/usr/bin",
            "/bin",
            "/usr/local/sbin",
            "/usr/sbin",
            "/sbin",
            "/usr/libexec/rctl",
        ] {
            let d = PathBuf::from(d);
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        }
        HelperPath { dirs }
    }

    /// The full path of `program`, if an executable file of that name exists.
    pub fn find(&self, program: &str) -> Option<PathBuf> {
        self.dirs
            .iter()
            .map(|d| d.join(program))
            .find(|p| is_executable(p))
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A failed helper run.
#[derive(Debug, thiserror::Error)]
pub enum HelperError {
    #[error(
        "`{program}` not found\nhint: install the `{package}` package (Debian/Ubuntu `apt install {package}`, Fedora `dnf install {package}`)"
    )]
    NotFound {
        program: String,
        package: &'static str,
    },
    #[error("run `{}`", .path.display())]
    Spawn {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` {} failed ({status}){}{}", .path.display(), .args, stderr_part(.stderr), hint_part(.hint))]
    Failed {
        path: PathBuf,
        args: String,
        status: String,
        stderr: String,
        hint: Option<String>,
    },
}

fn stderr_part(stderr: &str) -> String {
    let s = stderr.trim();
    if s.is_empty() {
        String::new()
    } else {
        format!(": {s}")
    }
}

fn hint_part(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!("\nhint: {h}"))
        .unwrap_or_default()
}

/// Looks at a failed helper's path and stderr and returns a hint.
pub type Diagnose<'a> = &'a dyn Fn(&Path, &str) -> Option<String>;

/// One helper invocation.
pub struct Helper<'a> {
    program: &'a str,
    args: Vec<OsString>,
    diagnose: Option<Diagnose<'a>>,
}

impl<'a> Helper<'a> {
    pub fn new(program: &'a str) -> Helper<'a> {
        Helper {
            program,
            args: Vec::new(),
            diagnose: None,
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// A function that looks at the helper's path and stderr after a failure
    /// and returns a hint naming the likely cause and the fix.
    pub fn diagnose(mut self, f: Diagnose<'a>) -> Self {
        self.diagnose = Some(f);
        self
    }

    /// Run the helper to completion with stdin closed; return its stdout.
    pub fn run(self, path: &HelperPath) -> Result<String, HelperError> {
        let exe = path.find(self.program).ok_or(HelperError::NotFound {
            program: self.program.to_string(),
            package: package_of(self.program),
        })?;
        let out = Command::new(&exe)
            .args(&self.args)
            .stdin(Stdio::null())
            .output()
            .map_err(|source| HelperError::Spawn {
                path: exe.clone(),
                source,
            })?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        let hint = self.diagnose.and_then(|d| d(&exe, &stderr));
        Err(HelperError::Failed {
            args: self
                .args
                .iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            path: exe,
            status: out.status.to_string(),
            stderr,
            hint,
        })
    }
}

/// A helper started in the background by [`Helper::spawn`] (a daemon such
/// as slirp4netns that outlives the call). Its stdout and stderr go to a
/// log file; when it fails to come up, [`Running::failed`] turns the log
/// into the same error a failed [`Helper::run`] gives.
pub struct Running<'a> {
    pub child: Child,
    pub exe: PathBuf,
    args: String,
    diagnose: Option<Diagnose<'a>>,
}

impl Running<'_> {
    /// The error for a helper that exited (`status`) or never became ready,
    /// with what it wrote to its log and the diagnosis.
    pub fn failed(&self, status: String, stderr: String) -> HelperError {
        let hint = self.diagnose.and_then(|d| d(&self.exe, &stderr));
        HelperError::Failed {
            path: self.exe.clone(),
            args: self.args.clone(),
            status,
            stderr,
            hint,
        }
    }
}

impl<'a> Helper<'a> {
    fn joined_args(&self) -> String {
        self.args
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Start the helper without waiting for it: stdin closed, stdout and
    /// stderr appended to `log`, in its own process group (a Ctrl-C meant
    /// for rctl does not reach it). File descriptors the caller left open
    /// without close-on-exec are inherited (e.g. slirp4netns's `--ready-fd`).
    pub fn spawn(self, path: &HelperPath, log: &std::fs::File) -> Result<Running<'a>, HelperError> {
        use std::os::unix::process::CommandExt;
        let exe = path.find(self.program).ok_or(HelperError::NotFound {
            program: self.program.to_string(),
            package: package_of(self.program),
        })?;
        let io = |e| HelperError::Spawn {
            path: exe.clone(),
            source: e,
        };
        let child = Command::new(&exe)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(io)?)
            .stderr(log.try_clone().map_err(io)?)
            .process_group(0)
            .spawn()
            .map_err(io)?;
        Ok(Running {
            child,
            args: self.joined_args(),
            exe,
            diagnose: self.diagnose,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_keeps_stderr_and_hint() {
        let path = HelperPath::new(&[], None);
        let diag = |_: &Path, err: &str| err.contains("boom").then(|| "do the thing".to_string());
        let err = Helper::new("sh")
            .args(["-c", "echo boom >&2; exit 3"])
            .diagnose(&diag)
            .run(&path)
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("boom"), "{text}");
        assert!(text.contains("exit status: 3"), "{text}");
        assert!(text.contains("hint: do the thing"), "{text}");
    }

    #[test]
    fn missing_program_names_the_package() {
        let err = Helper::new("pasta-does-not-exist")
            .run(&HelperPath::new(&[], Some(OsStr::new("/nonexistent"))))
            .unwrap_err();
        assert!(matches!(err, HelperError::NotFound { .. }));
    }

    #[test]
    fn spawned_helper_logs_and_fails_like_run() {
        let dir = std::env::temp_dir().join(format!("rctl-helper-spawn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("log");
        let log = std::fs::File::create(&log_path).unwrap();
        let diag = |_: &Path, err: &str| err.contains("tun").then(|| "open the tun".to_string());
        let mut running = Helper::new("sh")
            .args(["-c", "echo out; echo no tun >&2; exit 4"])
            .diagnose(&diag)
            .spawn(&HelperPath::new(&[], None), &log)
            .unwrap();
        let status = running.child.wait().unwrap();
        let text = std::fs::read_to_string(&log_path).unwrap();
        assert_eq!(text, "out\nno tun\n");
        let err = running.failed(status.to_string(), text).to_string();
        assert!(err.contains("exit status: 4"), "{err}");
        assert!(err.contains("hint: open the tun"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = Helper::new("slirp4netns-does-not-exist").spawn(
            &HelperPath::new(&[], Some(OsStr::new("/nonexistent"))),
            &log,
        );
        assert!(matches!(missing, Err(HelperError::NotFound { .. })));
    }

    #[test]
    fn success_returns_stdout() {
        let out = Helper::new("sh")
            .args(["-c", "echo hi"])
            .run(&HelperPath::new(&[], None))
            .unwrap();
        assert_eq!(out, "hi\n");
    }
}
