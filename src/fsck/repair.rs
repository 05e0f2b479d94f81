//! Carry out the repairs `system check --repair` planned: each finding's
//! [`Action`], in the order found; a failed repair is recorded on the
//! finding and the others go on.

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, params};

use super::{Action, Finding};
use crate::app::App;
use crate::container::Status;
use crate::container::store::Store as Containers;

/// Repair every finding that has an automatic repair.
pub fn apply(app: &App, findings: &mut [Finding], conn: Option<&Connection>) {
    let containers = Containers::new(&app.dirs.root);
    for f in findings {
        match run(app, &containers, &f.action, conn) {
            Ok(true) => f.repaired = true,
            Ok(false) => {}
            Err(e) => f.error = Some(format!("{e:#}")),
        }
    }
}

fn remove_path(p: &std::path::Path) -> Result<()> {
    let r = match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
        Ok(_) => std::fs::remove_file(p),
        Err(e) => Err(e),
    };
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("remove `{}`", p.display()))
        }
        _ => Ok(()),
    }
}

fn need(conn: Option<&Connection>) -> Result<&Connection> {
    conn.context("the image database is not open")
}

fn write(conn: &Connection, f: impl FnOnce(&Connection) -> Result<()>) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Do one repair; false when it needs a person.
fn run(
    app: &App,
    containers: &Containers,
    action: &Action,
    conn: Option<&Connection>,
) -> Result<bool> {
    let root = &app.dirs.root;
    match action {
        Action::Manual(_) => return Ok(false),
        Action::RemovePath(p) => remove_path(p)?,
        Action::RestoreLayer { from, to } => fs_err::rename(from, to)?,
        Action::DropLayerRecord { diff_id } => {
            let link: Option<String> = write_link_drop(need(conn)?, diff_id)?;
            if let Some(l) = link {
                remove_path(&root.join("l").join(l))?;
            }
        }
        Action::CreateLink { link, hex } => {
            let path = root.join("l").join(link);
            std::os::unix::fs::symlink(format!("../layers/{hex}/diff"), &path)
                .with_context(|| format!("create `{}`", path.display()))?;
        }
        Action::DropImage { id } => write(need(conn)?, |c| {
            c.execute("DELETE FROM images WHERE id = ?1", [id])?;
            Ok(())
        })?,
        Action::DropImageUse { image, container } => write(need(conn)?, |c| {
            c.execute(
                "DELETE FROM image_users WHERE image_id = ?1 AND container = ?2",
                params![image, container],
            )?;
            Ok(())
        })?,
        Action::AddImageUse { image, container } => write(need(conn)?, |c| {
            c.execute(
                "INSERT OR IGNORE INTO image_users (image_id, container) VALUES (?1, ?2)",
                params![image, container],
            )?;
            Ok(())
        })?,
        Action::RemoveContainer { id } => {
            if let Ok(c) = containers.load(id) {
                stop_helper(containers, id);
                containers.remove(id)?;
                // A create that died made these volumes for this container
                // alone (`remove` takes a `--rm` container's along itself).
                if !c.config.remove && !c.config.mounts.anonymous.is_empty() {
                    crate::volume::remove_anonymous(root, &c.config, &containers.list()?);
                }
            }
        }
        Action::MarkExited { id, kill } => {
            if let Some((pid, start)) = kill {
                kill_init(*pid, *start)?;
            }
            stop_helper(containers, id);
            let _ = std::fs::remove_file(crate::container::lifecycle::attach_socket_path(
                &app.dirs.runroot,
                id,
            ));
            containers.update(id, |c| {
                if c.state.status == Status::Running {
                    c.state.status = Status::Exited;
                    c.state.exit_code = Some(if kill.is_some() {
                        137
                    } else {
                        crate::error::RCTL_ERROR as i32
                    });
                    c.state.finished_at = Some(crate::container::now());
                    c.state.pid = None;
                    c.state.pid_start = None;
                    c.state.monitor_pid = None;
                }
            })?;
        }
        Action::StopHelper { id } => stop_helper(containers, id),
        Action::Unmount(p) => nix::mount::umount2(p, nix::mount::MntFlags::MNT_DETACH)
            .with_context(|| format!("unmount `{}`", p.display()))?,
    }
    Ok(true)
}

/// Delete the images that need `diff_id` and its record; its link name.
fn write_link_drop(conn: &Connection, diff_id: &str) -> Result<Option<String>> {
    let mut link = None;
    write(conn, |c| {
        c.execute(
            "DELETE FROM images WHERE id IN (SELECT image_id FROM image_layers WHERE diff_id = ?1)",
            [diff_id],
        )?;
        link = crate::store::db::layer_link(c, diff_id)?;
        c.execute("DELETE FROM layers WHERE diff_id = ?1", [diff_id])?;
        crate::store::db::delete_unreferenced_blobs(c)?;
        Ok(())
    })?;
    Ok(link)
}

/// Stop the container's network helper and wait until it is gone (a
/// SIGKILLed process runs on for a moment before it is a zombie).
fn stop_helper(containers: &Containers, id: &str) {
    let Some(net) = containers.load(id).ok().and_then(|c| c.state.network) else {
        return;
    };
    if let Err(e) = net.stop() {
        log::warn!("stop the network helper of container {id}: {e}");
    }
    if let Some(h) = &net.helper {
        let deadline = Instant::now() + Duration::from_secs(5);
        while h.is_running() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// SIGKILL a container's init (checked against pid reuse) and wait for it.
fn kill_init(pid: i32, start: u64) -> Result<()> {
    let fd = match crate::sys::pidfd_open(pid) {
        Ok(fd) => fd,
        Err(_) => return Ok(()),
    };
    if crate::userns::process_start_time(pid) != Some(start) {
        return Ok(());
    }
    crate::sys::pidfd_send_signal(fd.as_fd(), nix::sys::signal::Signal::SIGKILL)
        .with_context(|| format!("kill container process {pid}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid, start) {
        if Instant::now() > deadline {
            bail!("container process {pid} did not die after SIGKILL");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// Whether `pid` is still the process started at `start` and not a zombie.
fn alive(pid: i32, start: u64) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|t| crate::network::attach::parse_stat(&t))
        .is_some_and(|(state, t)| t == start && state != 'Z' && state != 'X')
}
