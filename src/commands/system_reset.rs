//! `rctl system reset` (remove everything of this user's rctl) and
//! `rctl system migrate` (apply a changed `/etc/subuid`/`/etc/subgid` by
//! stopping the pause process, so the next command maps ids again).

use anyhow::{Context, Result};

use super::output;
use super::system_prune::confirm;
use crate::app::App;
use crate::cli::system::{SystemMigrateArgs, SystemResetArgs};
use crate::container::{Status, lifecycle, store::Store as Containers};
use crate::diskuse::check_removable;
use crate::userns;

const ROOT_MARKERS: &[&str] = &["images.db", "containers", "layers", "events.log"];
const RUNROOT_MARKERS: &[&str] = &["pause.pid", "pause.lock"];

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
    if root.exists() || userns::pause_running(runroot) {
        let _session = app.enter()?;
        let containers = Containers::new(root);
        for c in containers.list().unwrap_or_default() {
            match lifecycle::remove(&containers, &c, true) {
                Ok(()) => output::line(format!("removed container {}", c.name))?,
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
        // Inside the namespace files of subordinate ids can be removed.
        if crate::ondisk::remove_tree(root).context("remove the storage root")? {
            output::line(format!("removed storage root {}", root.display()))?;
        }
    }
    if let Some(pid) = userns::stop_pause(runroot)? {
        output::line(format!("stopped the pause process (pid {pid})"))?;
    }
    if crate::ondisk::remove_tree(runroot).context("remove the runroot")? {
        output::line(format!("removed runroot {}", runroot.display()))?;
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
    let old = userns::uid_map_of(pid);
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
    if let Some(pid) = userns::stop_pause(runroot)? {
        output::line(format!(
            "stopped the pause process (pid {pid}); the next rctl command maps ids from /etc/subuid and /etc/subgid again"
        ))?;
    }
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
