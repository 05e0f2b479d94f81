//! `rctl system check`: find what crashed or killed commands leave in a
//! user's store, and with `--repair` fix it: half-finished extractions and
//! removals, layers without records and records without layers, broken
//! images, stale image-use records, half-made or damaged container
//! directories, containers whose `create`/`run` or monitor died, leaked
//! network helpers, stale attach sockets and orphan mounts.
//!
//! Scanning only reads; every finding carries its repair as data
//! ([`Action`]), executed by `repair.rs`. Locks are flock(2) locks, which
//! the kernel releases when their holder dies, so they cannot go stale:
//! the check holds the container store's lock while it looks at containers,
//! so that no `create` is half-way meanwhile.

pub mod finding;
mod repair;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;

use crate::app::App;
use crate::container::store::Store as Containers;
use crate::container::{Container, Status};
pub use finding::{Action, Finding, Kind};
use finding::{is_full_hex, parse_leftover, squash_dir_pid, temp_file_pid};

/// Check the store of `app` (and repair it when `repair`); the findings,
/// each marked repaired or not.
pub fn check(app: &App, repair: bool) -> Result<Vec<Finding>> {
    app.enter()?;
    let root = app.dirs.root.clone();
    let mut findings = Vec::new();
    if root.join("images.db").exists() {
        let conn = crate::store::db::open(&root.join("images.db"))?;
        let mut f = scan_images(&root, &conn)?;
        if repair {
            repair::apply(app, &mut f, Some(&conn));
        }
        findings.extend(f);
    }
    let containers = Containers::new(&root);
    if root.join("containers").is_dir() {
        let _lock = containers.store_lock()?;
        let conn = if root.join("images.db").exists() {
            Some(crate::store::db::open(&root.join("images.db"))?)
        } else {
            None
        };
        let mut f = scan_containers(&containers, conn.as_ref(), &app.dirs.runroot)?;
        if repair {
            repair::apply(app, &mut f, conn.as_ref());
        }
        findings.extend(f);
    }
    let mut f = scan_mounts(&root, &containers)?;
    if repair {
        repair::apply(app, &mut f, None);
    }
    findings.extend(f);
    if root.join("volumes").is_dir() {
        // The volume store's lock: no create or removal is at work.
        let (_lock, left) = crate::volume::VolumeStore::new(&root).leftovers()?;
        let mut f = scan_volumes(&root, left);
        if repair {
            repair::apply(app, &mut f, None);
        }
        findings.extend(f);
    }
    let mut f = scan_build_cache(&root)?;
    if repair {
        repair::apply(app, &mut f, None);
    }
    findings.extend(f);
    Ok(findings)
}

/// Volume directories a create or removal that died left (read under the
/// volume store's lock).
fn scan_volumes(root: &Path, leftovers: Vec<std::path::PathBuf>) -> Vec<Finding> {
    leftovers
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (kind, what) = if name.starts_with(".tmp-") {
                (Kind::HalfCreatedVolume, "a volume create that died")
            } else {
                (
                    Kind::HalfRemovedVolume,
                    "a volume removal that died (the volume was already gone)",
                )
            };
            Finding::new(
                kind,
                rel(root, &path),
                format!("left by {what}"),
                Action::RemovePath(path),
            )
        })
        .collect()
}

/// What a build that died leaves in `build-cache/` besides its step
/// containers: a `--squash` scratch directory or a half-written entry.
/// (An entry naming a layer removed since is no damage: `rmi` and prune
/// leave those, and a build treats them as a miss.)
fn scan_build_cache(root: &Path) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for e in read_dir(&root.join("build-cache"))? {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = squash_dir_pid(&name).or_else(|| temp_file_pid(&name)) else {
            continue;
        };
        if !pid_alive(pid) {
            out.push(Finding::new(
                Kind::BuildLeftover,
                rel(root, &e.path()),
                format!("left by a build that died (pid {pid})"),
                Action::RemovePath(e.path()),
            ));
        }
    }
    Ok(out)
}

/// Whether the build that owns a step container (directory `dir`) runs.
fn build_alive(dir: &Path) -> bool {
    crate::build::build_owner(dir).is_some_and(stamp_alive)
}

/// Whether `pid` runs (a zombie does not: a killed monitor may wait to be
/// reaped by whoever inherited it).
fn pid_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|t| crate::network::attach::parse_stat(&t))
        .is_some_and(|(state, _)| state != 'Z' && state != 'X')
}

fn stamp_alive((pid, start): (i32, u64)) -> bool {
    crate::userns::process_start_time(pid) == Some(start)
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The image store: leftovers, layers against records, links, images.
fn scan_images(root: &Path, conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .context("check the image database")?;
    if verdict != "ok" {
        out.push(Finding::new(
            Kind::Database,
            "images.db",
            format!("SQLite reports damage: {verdict}"),
            Action::Manual(
                "restore images.db from a backup, or `rctl system reset` and pull again".into(),
            ),
        ));
        return Ok(out);
    }
    let layers: HashMap<String, String> = strings(conn, "SELECT diff_id, link FROM layers")?
        .into_iter()
        .map(|(d, l)| (d.strip_prefix("sha256:").unwrap_or(&d).to_string(), l))
        .collect();
    let layers_dir = root.join("layers");
    let mut moved_aside = HashSet::new();
    let mut on_disk = HashSet::new();
    for e in read_dir(&layers_dir)? {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if let Some(l) = parse_leftover(&name) {
            if pid_alive(l.pid) {
                // An `rmi` at work: its layer's record goes with its commit.
                moved_aside.insert(l.hex);
                continue;
            }
            let home = layers_dir.join(&l.hex);
            if l.removal && layers.contains_key(&l.hex) && !home.exists() {
                moved_aside.insert(l.hex.clone());
                out.push(Finding::new(
                    Kind::HalfRemovedLayer,
                    rel(root, &path),
                    format!(
                        "moved aside by an image removal that died (pid {}) and was rolled back",
                        l.pid
                    ),
                    Action::RestoreLayer {
                        from: path,
                        to: home,
                    },
                ));
            } else {
                let what = if l.removal {
                    (Kind::HalfRemovedLayer, "an image removal")
                } else {
                    (Kind::HalfPulledLayer, "a pull, load, import or commit")
                };
                out.push(Finding::new(
                    what.0,
                    rel(root, &path),
                    format!("left by {} that died (pid {})", what.1, l.pid),
                    Action::RemovePath(path),
                ));
            }
        } else if is_full_hex(&name) {
            on_disk.insert(name.clone());
            if !layers.contains_key(&name) {
                out.push(Finding::new(
                    Kind::LayerWithoutRecord,
                    rel(root, &path),
                    "a layer directory the image database does not list",
                    Action::RemovePath(path),
                ));
            }
        }
    }
    for (hex, link) in &layers {
        let diff = layers_dir.join(hex).join("diff");
        if !diff.is_dir() && !moved_aside.contains(hex) {
            out.push(Finding::new(
                Kind::RecordWithoutLayer,
                format!("sha256:{hex}"),
                format!("the layer's directory `{}` is missing", rel(root, &diff)),
                Action::DropLayerRecord {
                    diff_id: format!("sha256:{hex}"),
                },
            ));
            continue;
        }
        let link_path = root.join("l").join(link);
        if std::fs::symlink_metadata(&link_path).is_err() {
            out.push(Finding::new(
                Kind::MissingLink,
                format!("sha256:{hex}"),
                format!("the layer's link `l/{link}` is missing"),
                Action::CreateLink {
                    link: link.clone(),
                    hex: hex.clone(),
                },
            ));
        }
    }
    let links: HashSet<&String> = layers.values().collect();
    for e in read_dir(&root.join("l"))? {
        let name = e.file_name().to_string_lossy().into_owned();
        if !links.contains(&name) {
            out.push(Finding::new(
                Kind::DanglingLink,
                format!("l/{name}"),
                "a layer link no layer record names",
                Action::RemovePath(e.path()),
            ));
        }
    }
    // Images that list a layer without a record (the layer's own missing
    // directory is handled with its record above).
    for (image, diff_id) in strings(
        conn,
        "SELECT il.image_id, il.diff_id FROM image_layers il
         WHERE il.diff_id NOT IN (SELECT diff_id FROM layers)",
    )? {
        out.push(Finding::new(
            Kind::BrokenImage,
            image[..12.min(image.len())].to_string(),
            format!("the image lists layer {diff_id}, which the store does not have"),
            Action::DropImage { id: image },
        ));
    }
    for (image, container) in strings(conn, "SELECT image_id, container FROM image_users")? {
        let dir = root.join("containers").join(&container);
        if !dir.join("container.json").exists() {
            out.push(Finding::new(
                Kind::StaleImageUse,
                image[..12.min(image.len())].to_string(),
                format!(
                    "recorded as used by container {}, which does not exist",
                    &container[..12.min(container.len())]
                ),
                Action::DropImageUse { image, container },
            ));
        }
    }
    Ok(out)
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    match std::fs::read_dir(dir) {
        Ok(rd) => Ok(rd.flatten().collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("read `{}`", dir.display())),
    }
}

/// Whether the container's monitor still runs.
fn monitor_alive(c: &Container) -> bool {
    c.state
        .monitor_pid
        .is_some_and(|p| p > 0 && pid_alive(p as u32))
}

/// The containers whose monitor runs, by the monitors' command lines
/// (`... container-monitor ID ...`): one whose `rctl run` died right after
/// spawning it is still starting its container.
fn monitored() -> HashSet<String> {
    let mut ids = HashSet::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return ids;
    };
    for e in rd.flatten() {
        if !e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let Ok(raw) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let mut args = raw.split(|b| *b == 0);
        if args.any(|a| a == b"container-monitor") {
            if let Some(id) = args.next() {
                ids.insert(String::from_utf8_lossy(id).into_owned());
            }
        }
    }
    ids
}

/// The container store (the caller holds its lock).
fn scan_containers(
    store: &Containers,
    conn: Option<&Connection>,
    runroot: &Path,
) -> Result<Vec<Finding>> {
    let root = store.root().to_path_buf();
    let dir = root.join("containers");
    let mut out = Vec::new();
    // Containers running or being started (their attach sockets are live).
    let mut running = HashSet::new();
    let monitored = monitored();
    for e in read_dir(&dir)? {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with(".tmp-") || name.starts_with(".rm-") {
            let (kind, what) = if name.starts_with(".tmp-") {
                (Kind::HalfCreatedContainer, "a create that died")
            } else {
                (Kind::HalfRemovedContainer, "a removal that died")
            };
            out.push(Finding::new(
                kind,
                rel(&root, &path),
                format!("left by {what}"),
                Action::RemovePath(path),
            ));
            continue;
        }
        if !is_full_hex(&name) {
            continue;
        }
        let c = match store.load(&name) {
            Ok(c) => c,
            Err(err) => {
                if !path.exists() {
                    continue;
                }
                out.push(Finding::new(
                    Kind::DamagedContainer,
                    rel(&root, &path),
                    format!("no readable record: {err:#}"),
                    Action::RemovePath(path),
                ));
                continue;
            }
        };
        for f in read_dir(&path)? {
            let fname = f.file_name().to_string_lossy().into_owned();
            if let Some(pid) = temp_file_pid(&fname) {
                if !pid_alive(pid) {
                    out.push(Finding::new(
                        Kind::TempFile,
                        rel(&root, &f.path()),
                        format!("a temporary file of a process that died (pid {pid})"),
                        Action::RemovePath(f.path()),
                    ));
                }
            }
        }
        let short = c.short_id().to_string();
        let label = format!("{short} ({})", c.name);
        // A `create`/`run` at work, or a monitor starting the container
        // (its `run` may have died after spawning it): not ours to judge.
        if c.state.creating.is_some_and(stamp_alive)
            || (c.state.status != Status::Running && monitored.contains(&c.id))
        {
            running.insert(c.id.clone());
            continue;
        }
        if c.config.image_name == crate::build::STEP_IMAGE_NAME {
            // A build's step container: done with when its build is.
            if build_alive(&path) || (c.state.status == Status::Running && monitor_alive(&c)) {
                running.insert(c.id.clone());
            } else {
                out.push(Finding::new(
                    Kind::LeftoverBuildContainer,
                    label,
                    "a step container of a build that died",
                    Action::RemoveContainer { id: c.id.clone() },
                ));
            }
            continue;
        }
        if c.state.creating.is_some() && c.state.status == Status::Created {
            out.push(Finding::new(
                Kind::InterruptedCreate,
                label,
                "its `rctl create` or `rctl run` died before it was done",
                Action::RemoveContainer { id: c.id.clone() },
            ));
            continue;
        }
        let init_alive = match (c.state.pid, c.state.pid_start) {
            (Some(p), Some(s)) => stamp_alive((p, s)),
            _ => false,
        };
        if c.state.status == Status::Running {
            if monitor_alive(&c) {
                running.insert(c.id.clone());
            } else {
                out.push(Finding::new(
                    Kind::MonitorDied,
                    label,
                    if init_alive {
                        "recorded as running, but its monitor died: nobody records its exit or keeps its log"
                    } else {
                        "recorded as running, but its monitor and its processes are gone"
                    },
                    Action::MarkExited {
                        id: c.id.clone(),
                        kill: if init_alive {
                            c.state.pid.zip(c.state.pid_start)
                        } else {
                            None
                        },
                    },
                ));
                if c.config.remove {
                    out.push(Finding::new(
                        Kind::LeftoverRmContainer,
                        format!("{short} ({})", c.name),
                        "a --rm container whose monitor died before removing it",
                        Action::RemoveContainer { id: c.id.clone() },
                    ));
                }
            }
            continue;
        }
        if c.config.remove && !monitor_alive(&c) {
            out.push(Finding::new(
                Kind::LeftoverRmContainer,
                label,
                format!("a --rm container left {}", c.state.status.name()),
                Action::RemoveContainer { id: c.id.clone() },
            ));
            continue;
        }
        if c.state
            .network
            .as_ref()
            .and_then(|n| n.helper.as_ref())
            .is_some_and(|h| h.is_running())
        {
            out.push(Finding::new(
                Kind::LeakedHelper,
                label.clone(),
                "its network helper still runs, but the container does not",
                Action::StopHelper { id: c.id.clone() },
            ));
        }
        if let (Some(conn), Some(image)) = (conn, &c.config.image_id) {
            let users = crate::store::db::users_of(conn, image)?;
            let known = crate::store::db::image_by_id(conn, image)?.is_some();
            if known && !users.contains(&c.id) {
                out.push(Finding::new(
                    Kind::UnrecordedImageUse,
                    label,
                    format!(
                        "uses image {}, but the image database does not know (`rmi` would remove it)",
                        &image[..12.min(image.len())]
                    ),
                    Action::AddImageUse {
                        image: image.clone(),
                        container: c.id.clone(),
                    },
                ));
            }
        }
    }
    for e in read_dir(&runroot.join("attach"))? {
        let name = e.file_name().to_string_lossy().into_owned();
        if !running.iter().any(|id| id.starts_with(&name)) {
            out.push(Finding::new(
                Kind::StaleSocket,
                e.path().display().to_string(),
                "an attach socket of a container that is not running",
                Action::RemovePath(e.path()),
            ));
        }
    }
    Ok(out)
}

/// Mounts under the store in rctl's mount namespace that no running
/// container needs (a killed `cp`, `export` or monitor leaves them).
fn scan_mounts(root: &Path, store: &Containers) -> Result<Vec<Finding>> {
    let text = fs_err::read_to_string("/proc/self/mountinfo")?;
    let containers_dir = root.join("containers");
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for point in finding::mount_points(&text) {
        let Ok(rest) = point.strip_prefix(&containers_dir) else {
            continue;
        };
        let id = rest
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let running = store
            .load(&id)
            .is_ok_and(|c| c.state.status == Status::Running && monitor_alive(&c))
            || build_alive(&containers_dir.join(&id));
        if !running && seen.insert(point.clone()) {
            out.push(Finding::new(
                Kind::OrphanMount,
                rel(root, &point),
                "mounted, but no running container needs it",
                Action::Unmount(point),
            ));
        }
    }
    // Deepest first, so that nested mounts go before their parents.
    out.sort_by_key(|f| std::cmp::Reverse(f.object.len()));
    Ok(out)
}
