//! Rootless entry: one long-lived pause process per user (per runroot) holds
//! rctl's user and mount namespaces, and every rctl command joins them with
//! one `setns` on a pidfd.
//!
//! The first command that needs the namespace plans the id maps from
//! `/etc/subuid` and `/etc/subgid`, forks the pause process, maps it with the
//! setuid `newuidmap`/`newgidmap` (or writes a single-id map itself when the
//! user has no subordinate range), and records `PID STARTTIME` in
//! `RUNROOT/pause.pid`. Later commands only open that pidfd and `setns` into
//! it, which is far cheaper than running two setuid helpers every time. All
//! of this happens before any thread exists.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use nix::sched::CloneFlags;

use crate::config::Dirs;
use crate::env::Env;
use crate::helper::{Helper, HelperPath};
use crate::idmap::{self, IdMapEntry};
use crate::ondisk;
use crate::sys;

/// The namespaces this process now runs in.
#[derive(Debug, Clone)]
pub struct Session {
    /// True when rctl runs without real root privileges.
    pub rootless: bool,
    /// The pause process holding the namespaces.
    pub pause_pid: i32,
    /// The maps in force (read back from `/proc/self`).
    pub uid_map: Vec<IdMapEntry>,
    pub gid_map: Vec<IdMapEntry>,
}

/// The id maps to give a new user namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapPlan {
    pub uid_map: Vec<IdMapEntry>,
    pub gid_map: Vec<IdMapEntry>,
    /// Set when there is no subordinate range and only the user's own ids
    /// are mapped; the text is the warning to show.
    pub single_warning: Option<String>,
}

/// How the pause process is to be made.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// An unprivileged user: a new user namespace mapped by `MapPlan`.
    Rootless(MapPlan),
    /// Real root, or already inside some user namespace: a mount namespace only.
    MountOnly { rootless: bool },
}

/// Read the subordinate id files and plan the maps. Reads two files and
/// creates nothing, so that a broken file is reported before any change.
pub fn plan_maps(env: &Env) -> Result<MapPlan> {
    let user = env.user_name.as_deref();
    let read = |file: &Path, own: u32| -> Result<Vec<IdMapEntry>> {
        let text = match fs_err::read_to_string(file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).context("read subordinate id file"),
        };
        let ranges = idmap::parse_subid(&text, file, user, own).map_err(|e| {
            anyhow!("{e}\nhint: fix or remove that line (format `NAME:START:COUNT`, e.g. `{}:100000:65536`)", user.unwrap_or("USER"))
        })?;
        idmap::plan_map(own, &ranges, file).map_err(|e| {
            anyhow!("{e}\nhint: give the user a range that does not include its own id, e.g. `{}:100000:65536`", user.unwrap_or("USER"))
        })
    };
    let uid_map = read(&env.subuid_file, env.uid)?;
    let gid_map = read(&env.subgid_file, env.gid)?;
    let single_warning = (uid_map.len() == 1 || gid_map.len() == 1).then(|| {
        let name = user.map(str::to_string).unwrap_or_else(|| env.uid.to_string());
        let mut missing = Vec::new();
        if uid_map.len() == 1 {
            missing.push(env.subuid_file.display().to_string());
        }
        if gid_map.len() == 1 {
            missing.push(env.subgid_file.display().to_string());
        }
        format!(
            "no subordinate ids for `{name}` in {}: only your own uid and gid are mapped, so images with other owners will fail\nhint: as root add `{name}:100000:65536` to /etc/subuid and /etc/subgid (or `usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {name}`), then `rctl system migrate`",
            missing.join(" and ")
        )
    });
    Ok(MapPlan {
        uid_map,
        gid_map,
        single_warning,
    })
}

/// Whether this process runs in the initial user namespace.
fn in_initial_userns() -> Result<bool> {
    let text = fs_err::read_to_string("/proc/self/uid_map")?;
    Ok(idmap::is_identity(&idmap::parse_proc_map(&text)))
}

/// Join rctl's namespaces, creating the pause process that holds them when
/// there is none. Must run before any thread is started.
pub fn enter(env: &Env, dirs: &Dirs, helpers: &HelperPath) -> Result<Session> {
    let pause_file = dirs.runroot.join("pause.pid");
    let cwd = std::env::current_dir().ok();
    let initial = in_initial_userns()?;
    let real_root = initial && nix::unistd::geteuid().is_root();
    let rootless = !real_root;

    let pid = match join_existing(&pause_file)? {
        Some(pid) => pid,
        None => {
            // Plan before creating anything, so a broken /etc/subuid changes nothing.
            let mode = if initial && !real_root {
                Mode::Rootless(plan_maps(env)?)
            } else {
                Mode::MountOnly { rootless }
            };
            ondisk::create_private_dir(&dirs.runroot)?;
            let lock_path = dirs.runroot.join("pause.lock");
            let lock_file = fs_err::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)?;
            let _lock = nix::fcntl::Flock::lock(
                lock_file.into_parts().0,
                nix::fcntl::FlockArg::LockExclusive,
            )
            .map_err(|(_, e)| e)
            .with_context(|| format!("lock `{}`", lock_path.display()))?;
            match join_existing(&pause_file)? {
                Some(pid) => pid,
                None => {
                    let pid = spawn_pause(&mode, helpers, &pause_file)?;
                    if let Mode::Rootless(MapPlan {
                        single_warning: Some(w),
                        ..
                    }) = &mode
                    {
                        log::warn!("{w}");
                    }
                    join_existing(&pause_file)?.ok_or_else(|| {
                        anyhow!("the pause process {pid} exited right after it started")
                    })?
                }
            }
        }
    };
    if let Some(dir) = cwd {
        if std::env::set_current_dir(&dir).is_err() {
            log::debug!("cannot return to `{}` inside the namespace", dir.display());
        }
    }
    Ok(Session {
        rootless,
        pause_pid: pid,
        uid_map: idmap::parse_proc_map(&fs_err::read_to_string("/proc/self/uid_map")?),
        gid_map: idmap::parse_proc_map(&fs_err::read_to_string("/proc/self/gid_map")?),
    })
}

/// The pid of the pause process recorded in `pause_file`, if it still runs.
pub fn pause_pid(pause_file: &Path) -> Result<Option<(i32, OwnedFd)>> {
    let text = match fs_err::read_to_string(pause_file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some((pid, start)) = parse_pause_file(&text) else {
        log::debug!("ignoring malformed `{}`", pause_file.display());
        return Ok(None);
    };
    let pidfd = match sys::pidfd_open(pid) {
        Ok(fd) => fd,
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("open pidfd of pause process {pid}")),
    };
    // The pidfd pins the process: if its start time matches, it is ours.
    match process_start_time(pid) {
        Some(s) if s == start => Ok(Some((pid, pidfd))),
        _ => Ok(None),
    }
}

/// Join the namespaces of a live pause process; `None` when there is none.
fn join_existing(pause_file: &Path) -> Result<Option<i32>> {
    let Some((pid, pidfd)) = pause_pid(pause_file)? else {
        return Ok(None);
    };
    // A pause process that died but was not reaped yet (a zombie) still has
    // its pid and start time, but no namespaces any more.
    let (Ok(user), Ok(mnt)) = (
        ns_id(&format!("/proc/{pid}/ns/user")),
        ns_id(&format!("/proc/{pid}/ns/mnt")),
    ) else {
        return Ok(None);
    };
    let mut flags = CloneFlags::empty();
    if user != ns_id("/proc/self/ns/user")? {
        flags |= CloneFlags::CLONE_NEWUSER;
    }
    if mnt != ns_id("/proc/self/ns/mnt")? {
        flags |= CloneFlags::CLONE_NEWNS;
    }
    if !flags.is_empty() {
        nix::sched::setns(pidfd.as_fd(), flags)
            .with_context(|| format!("join the namespaces of pause process {pid}"))?;
    }
    Ok(Some(pid))
}

fn ns_id(path: &str) -> Result<(u64, u64)> {
    let m = fs_err::metadata(path)?;
    Ok((m.dev(), m.ino()))
}

/// Parse `PID STARTTIME`.
fn parse_pause_file(text: &str) -> Option<(i32, u64)> {
    let mut it = text.split_whitespace();
    let pid: i32 = it.next()?.parse().ok()?;
    let start: u64 = it.next()?.parse().ok()?;
    (pid > 0).then_some((pid, start))
}

/// Field 22 (starttime) of `/proc/PID/stat`.
/// Kill the pause process recorded under `runroot` (SIGKILL, then wait
/// for it: it is not our child) and drop its pid file; its pid when one ran.
pub fn stop_pause(runroot: &Path) -> Result<Option<i32>> {
    let file = runroot.join("pause.pid");
    let Some((pid, fd)) = pause_pid(&file)? else {
        return Ok(None);
    };
    sys::pidfd_send_signal(fd.as_fd(), nix::sys::signal::Signal::SIGKILL)
        .with_context(|| format!("stop the pause process {pid}"))?;
    sys::pidfd_wait_exit(fd.as_fd(), Some(std::time::Duration::from_secs(10)));
    let _ = std::fs::remove_file(&file);
    Ok(Some(pid))
}

/// Whether a pause process runs for `runroot`.
pub fn pause_running(runroot: &Path) -> bool {
    pause_pid(&runroot.join("pause.pid"))
        .ok()
        .flatten()
        .is_some()
}

/// The uid map of process `pid` (`/proc/PID/uid_map`), empty when gone.
pub fn uid_map_of(pid: i32) -> Vec<IdMapEntry> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/uid_map")).unwrap_or_default();
    idmap::parse_proc_map(&text)
}

pub fn process_start_time(pid: i32) -> Option<u64> {
    parse_stat_start_time(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn parse_stat_start_time(stat: &str) -> Option<u64> {
    // The command name (field 2) may contain spaces and parentheses; the
    // fields after the last ')' start with field 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// Messages of the start-up handshake between rctl and the pause process.
mod handshake {
    /// Followed by the pause process's pid (4 bytes, little-endian).
    pub const UNSHARED: u8 = b'U';
    /// Followed by an errno (4 bytes) when unshare failed.
    pub const FAILED: u8 = b'E';
    pub const MAPPED: u8 = b'M';
    pub const READY: u8 = b'R';
}

/// Fork the pause process, map it, and wait until it has recorded itself.
fn spawn_pause(mode: &Mode, helpers: &HelperPath, pause_file: &Path) -> Result<i32> {
    let (from_pause, to_parent) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let (from_parent, to_pause) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let flags = match mode {
        Mode::Rootless(_) => CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNS,
        Mode::MountOnly { .. } => CloneFlags::CLONE_NEWNS,
    };
    let first = match sys::fork().context("fork the pause process")? {
        sys::Fork::Child => {
            drop(from_pause);
            drop(to_pause);
            // Fork again so that the pause process is not our child: the
            // intermediate process exits and the pause is re-parented.
            match sys::fork() {
                Ok(sys::Fork::Child) => pause_main(to_parent, from_parent, flags, pause_file),
                Ok(sys::Fork::Parent(_)) => sys::exit_now(0),
                Err(_) => sys::exit_now(1),
            }
        }
        sys::Fork::Parent(pid) => pid,
    };
    drop(to_parent);
    drop(from_parent);
    let mut rx = File::from(from_pause);
    let mut tx = File::from(to_pause);
    let _ = nix::sys::wait::waitpid(first, None);
    let pid = wait_unshared(&mut rx)?;
    let result = map_and_start(pid, mode, helpers, &mut rx, &mut tx);
    if result.is_err() {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    result.map(|()| pid)
}

/// Wait for the pause process to report its namespaces; returns its pid.
fn wait_unshared(rx: &mut File) -> Result<i32> {
    let mut word = [0u8; 4];
    match read_byte(rx) {
        Some(handshake::UNSHARED) => {
            rx.read_exact(&mut word)
                .context("read the pid of the pause process")?;
            Ok(i32::from_le_bytes(word))
        }
        Some(handshake::FAILED) => {
            let _ = rx.read_exact(&mut word);
            let err = std::io::Error::from_raw_os_error(i32::from_le_bytes(word));
            bail!(
                "create a user namespace: {err}\nhint: unprivileged user namespaces may be disabled: check `sysctl user.max_user_namespaces` (must be > 0), `kernel.unprivileged_userns_clone` (must be 1) and AppArmor's `kernel.apparmor_restrict_unprivileged_userns`"
            );
        }
        _ => bail!("the pause process died before creating its namespaces"),
    }
}

fn read_byte(rx: &mut File) -> Option<u8> {
    let mut b = [0u8; 1];
    rx.read_exact(&mut b).ok().map(|()| b[0])
}

fn map_and_start(
    pid: i32,
    mode: &Mode,
    helpers: &HelperPath,
    rx: &mut File,
    tx: &mut File,
) -> Result<()> {
    if let Mode::Rootless(plan) = mode {
        write_maps(pid, plan, helpers)?;
    }
    tx.write_all(&[handshake::MAPPED])
        .context("signal the pause process")?;
    match read_byte(rx) {
        Some(handshake::READY) => {}
        Some(handshake::FAILED) => bail!(
            "the pause process {pid} could not make its mounts private or record itself in the runroot"
        ),
        _ => bail!("the pause process {pid} died during start-up"),
    }
    Ok(())
}

/// Give the pause process its uid and gid maps.
fn write_maps(pid: i32, plan: &MapPlan, helpers: &HelperPath) -> Result<()> {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    // A single own-id map may be written by the user itself; more needs the
    // setuid helpers, which check /etc/subuid and /etc/subgid again.
    if plan.gid_map.len() == 1 {
        fs_err::write(proc.join("setgroups"), "deny")?;
        fs_err::write(proc.join("gid_map"), idmap::map_text(&plan.gid_map))?;
    } else {
        run_map_helper("newgidmap", pid, &plan.gid_map, helpers)?;
    }
    if plan.uid_map.len() == 1 {
        fs_err::write(proc.join("uid_map"), idmap::map_text(&plan.uid_map))?;
    } else {
        run_map_helper("newuidmap", pid, &plan.uid_map, helpers)?;
    }
    Ok(())
}

fn run_map_helper(program: &str, pid: i32, map: &[IdMapEntry], helpers: &HelperPath) -> Result<()> {
    let file = if program == "newuidmap" {
        "/etc/subuid"
    } else {
        "/etc/subgid"
    };
    let diagnose = |exe: &Path, stderr: &str| -> Option<String> {
        let setuid = std::fs::metadata(exe).is_ok_and(|m| m.mode() & 0o4000 != 0 && m.uid() == 0);
        if !setuid && !has_file_caps(exe) {
            return Some(format!(
                "`{}` must be setuid root or have file capabilities: as root run `chmod u+s {0}` (or reinstall the `uidmap` package)",
                exe.display()
            ));
        }
        if stderr.contains("not allowed")
            || stderr.contains("Operation not permitted")
            || stderr.contains("map ranges")
        {
            return Some(format!(
                "the ranges in {file} do not allow this map: check your line there (`NAME:START:COUNT`), then `rctl system migrate`"
            ));
        }
        Some(format!(
            "check your line in {file} and that `{}` is the one from the `uidmap` package",
            exe.display()
        ))
    };
    Helper::new(program)
        .args(std::iter::once(pid.to_string()).chain(idmap::helper_args(map)))
        .diagnose(&diagnose)
        .run(helpers)
        .with_context(|| format!("map ids of the pause process with {program}"))?;
    Ok(())
}

fn has_file_caps(path: &Path) -> bool {
    sys::has_xattr(path, "security.capability")
}

/// The body of the pause process: create the namespaces, wait to be mapped,
/// detach from everything, and sleep until killed.
fn pause_main(to_parent: OwnedFd, from_parent: OwnedFd, flags: CloneFlags, pause_file: &Path) -> ! {
    let mut tx = File::from(to_parent);
    let mut rx = File::from(from_parent);
    if let Err(errno) = nix::sched::unshare(flags) {
        let mut msg = vec![handshake::FAILED];
        msg.extend_from_slice(&(errno as i32).to_le_bytes());
        let _ = tx.write_all(&msg);
        sys::exit_now(1);
    }
    let mut unshared = vec![handshake::UNSHARED];
    unshared.extend_from_slice(&(std::process::id() as i32).to_le_bytes());
    if tx.write_all(&unshared).is_err() || read_byte(&mut rx) != Some(handshake::MAPPED) {
        sys::exit_now(1);
    }
    // Our mounts must never propagate back to the host's namespace.
    let slave = nix::mount::mount(
        None::<&str>,
        "/",
        None::<&str>,
        nix::mount::MsFlags::MS_REC | nix::mount::MsFlags::MS_SLAVE,
        None::<&str>,
    );
    if slave.is_err() {
        let _ = tx.write_all(&[handshake::FAILED]);
        sys::exit_now(1);
    }
    let _ = nix::unistd::setsid();
    let _ = nix::unistd::chdir("/");
    if let Ok(null) = fs_err::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        use std::os::fd::AsRawFd;
        for fd in 0..3 {
            let _ = nix::unistd::dup2(null.as_raw_fd(), fd);
        }
    }
    for sig in [
        nix::sys::signal::Signal::SIGINT,
        nix::sys::signal::Signal::SIGHUP,
        nix::sys::signal::Signal::SIGPIPE,
    ] {
        sys::ignore_signal(sig);
    }
    sys::set_process_name("rctl-pause");
    // The pause process records itself before it reports ready, so that a
    // parent killed at any point leaves either no pause process or a
    // recorded one, never an orphan nobody knows of.
    let pid = std::process::id() as i32;
    let recorded = process_start_time(pid).is_some_and(|start| {
        ondisk::write_atomic(pause_file, format!("{pid} {start}\n").as_bytes()).is_ok()
    });
    if !recorded {
        let _ = tx.write_all(&[handshake::FAILED]);
        sys::exit_now(1);
    }
    let _ = tx.write_all(&[handshake::READY]);
    drop(tx);
    drop(rx);
    let _ = sys::close_fds_from(3);
    loop {
        sys::pause();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_start_time_survives_odd_names() {
        let stat =
            "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(parse_stat_start_time(stat), Some(987654));
        assert_eq!(parse_stat_start_time("garbage"), None);
    }

    #[test]
    fn pause_file_parses() {
        assert_eq!(parse_pause_file("12 34\n"), Some((12, 34)));
        assert_eq!(parse_pause_file("12\n"), None);
        assert_eq!(parse_pause_file("-1 3"), None);
    }

    #[test]
    fn own_process_start_time_is_readable() {
        assert!(process_start_time(std::process::id() as i32).is_some());
    }
}
