//! `rctl system reset` (remove everything of this user's rctl) and
//! `rctl system migrate` (apply a changed `/etc/subuid`/`/etc/subgid` by
//! stopping the pause process, so the next command maps ids again).

use std::os::fd::AsFd;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::signal::Signal;

use super::output;
use super::system_prune::confirm;
use crate::app::App;
use crate::cli::system::{SystemMigrateArgs, SystemResetArgs};
use crate::container::{Status, lifecycle, store::Store as Containers};
use crate::diskuse::check_removable;
use crate::userns;

const ROOT_MARKERS: &[&str] = &["images.db", "containers", "layers", "events.log"];
const RUNROOT_MARKERS: &[&str] = &["pause.pid", "pause.lock"];

/// Kill the pause process recorded under `runroot`; its pid when one ran.
fn stop_pause(runroot: &Path) -> Result<Option<i32>> {
    let file = runroot.join("pause.pid");
    let Some((pid, fd)) = userns::pause_pid(&file)? else {
        return Ok(None);
    };
    crate::sys::pidfd_send_signal(fd.as_fd(), Signal::SIGKILL)
        .with_context(|| format!("stop the pause process {pid}"))?;
    // It is not our child: wait until its pidfd reports the exit.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let mut fds = [nix::poll::PollFd::new(
            fd.as_fd(),
            nix::poll::PollFlags::POLLIN,
        )];
        if nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(100u16)).unwrap_or(0) > 0 {
            break;
        }
    }
    let _ = std::fs::remove_file(&file);
    Ok(Some(pid))
}

/// Whether a pause process runs for this runroot.
fn pause_running(runroot: &Path) -> bool {
    userns::pause_pid(&runroot.join("pause.pid"))
        .ok()
        .flatten()
        .is_some()
}

pub fn reset(app: &App, args: &SystemResetArgs) -> Result<()> {
    let (root, runroot) = (&app.dirs.root, &app.dirs.runroot);
    check_removable(root, ROOT_MARKERS, "storage root")?;
    check_removable(runroot, RUNROOT_MARKERS, "runroot")?;
    if !args.force
        && !confirm(&format!(
            "WARNING! This removes all containers, images, volumes and the build cache, stops the pause process, and deletes `{}` and `{}`.\nAre you sure you want to continue?",
            root.display(),
            runroot.display()
        ))?
    {
        eprintln!("nothing removed");
        return Ok(());
    }
    if root.exists() || pause_running(runroot) {
        let _session = app.enter()?;
        let containers = Containers::new(root);
        for c in containers.list().unwrap_or_default() {
            match lifecycle::remove(&containers, &c, true) {
                Ok(()) => output::line(format!("removed container {}", c.name))?,
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
        // Inside the namespace files of subordinate ids can be removed.
        match fs_err::remove_dir_all(root) {
            Ok(()) => output::line(format!("removed storage root {}", root.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context("remove the storage root"),
        }
    }
    if let Some(pid) = stop_pause(runroot)? {
        output::line(format!("stopped the pause process (pid {pid})"))?;
    }
    match fs_err::remove_dir_all(runroot) {
        Ok(()) => output::line(format!("removed runroot {}", runroot.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).context("remove the runroot"),
    }
    Ok(())
}

pub fn migrate(app: &App, _args: &SystemMigrateArgs) -> Result<()> {
    let runroot = &app.dirs.runroot;
    // Plan first: a broken /etc/subuid is reported before anything stops.
    let plan = userns::plan_maps(&app.env)?;
    let Some((pid, _)) = userns::pause_pid(&runroot.join("pause.pid"))? else {
        output::line(
            "no pause process is running: the next rctl command maps ids from /etc/subuid and /etc/subgid",
        )?;
        return Ok(());
    };
    let old_map = fs_err::read_to_string(format!("/proc/{pid}/uid_map")).unwrap_or_default();
    {
        let _session = app.enter()?;
        let containers = Containers::new(&app.dirs.root);
        for c in containers.list().unwrap_or_default() {
            let c = lifecycle::refresh(&containers, &c)?;
            if c.state.status == Status::Running {
                lifecycle::stop(&containers, &c, 10)
                    .with_context(|| format!("stop container `{}`", c.name))?;
                output::line(format!("stopped container {}", c.name))?;
            }
        }
    }
    if let Some(pid) = stop_pause(runroot)? {
        output::line(format!(
            "stopped the pause process (pid {pid}); the next rctl command maps ids from /etc/subuid and /etc/subgid again"
        ))?;
    }
    let old = crate::idmap::parse_proc_map(&old_map);
    if !plan.uid_map.is_empty() && !old.is_empty() && old != plan.uid_map {
        output::line(format!(
            "uid map: was {}, will be {}",
            crate::idmap::map_text(&old).trim().replace('\n', "; "),
            crate::idmap::map_text(&plan.uid_map)
                .trim()
                .replace('\n', "; ")
        ))?;
        log::warn!(
            "the id map changed: files of images and containers made under the old map keep their old owners and may show as nobody\nhint: pull the images again, or start afresh with `rctl system reset`"
        );
    }
    Ok(())
}
