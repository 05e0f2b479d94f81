//! The per-user container store: one directory per container under
//! `ROOT/containers/<id>/` with `container.json` (written atomically, updated
//! under the container's flock), created under a temporary name and renamed
//! into place so that a crash never leaves half a container. Names are
//! unique (checked under the store lock); ids are 64 hex digits and may be
//! given by any unique prefix.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nix::fcntl::{Flock, FlockArg};

use super::{Container, State, Status};
use crate::crashpoint::crashpoint;
use crate::ondisk;
use crate::runtime::ContainerConfig;

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("no container with name or id `{0}`\nhint: list containers with `rctl ps -a`")]
    NotFound(String),
    #[error(
        "`{0}` matches more than one container id: {1}\nhint: give more characters of the id, or the name"
    )]
    Ambiguous(String, String),
}

pub struct Store {
    dir: PathBuf,
}

/// The file in each container's directory that keeps space for its
/// records, and its size.
const RESERVE: &str = "reserve";
const RESERVE_SIZE: usize = 64 << 10;

/// A held lock; released on drop.
pub struct Lock(#[allow(dead_code)] Flock<std::fs::File>);

fn lock_file(path: &Path) -> Result<Lock> {
    let f = fs_err::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    Flock::lock(f.into_parts().0, FlockArg::LockExclusive)
        .map(Lock)
        .map_err(|(_, e)| e)
        .with_context(|| format!("lock `{}`", path.display()))
}

/// A fresh random 64-hex-digit id.
fn new_id() -> Result<String> {
    let mut b = [0u8; 32];
    fs_err::File::open("/dev/urandom")?
        .read_exact(&mut b)
        .context("read /dev/urandom")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// This process as the creator of a record (pid and start time).
fn creator_stamp() -> Option<(i32, u64)> {
    let pid = std::process::id() as i32;
    crate::userns::process_start_time(pid).map(|t| (pid, t))
}

/// Names as Docker allows them.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// Pick an unused default name.
fn default_name(id: &str, taken: &[String]) -> String {
    const ADJ: &[&str] = &[
        "brave", "calm", "eager", "fond", "keen", "jolly", "quiet", "sharp", "swift", "witty",
    ];
    const NOUN: &[&str] = &[
        "lovelace", "turing", "hopper", "ritchie", "thompson", "torvalds", "knuth", "liskov",
        "dijkstra", "hamilton",
    ];
    let n = u64::from_str_radix(&id[..8], 16).unwrap_or(0) as usize;
    let base = format!(
        "{}_{}",
        ADJ[n % ADJ.len()],
        NOUN[(n / ADJ.len()) % NOUN.len()]
    );
    if !taken.contains(&base) {
        return base;
    }
    format!("{base}_{}", &id[..6])
}

impl Store {
    pub fn new(root: &Path) -> Store {
        Store {
            dir: root.join("containers"),
        }
    }

    /// The storage root this container store lives in.
    pub fn root(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    /// The container's directory.
    pub fn dir_of(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    fn record_path(&self, id: &str) -> PathBuf {
        self.dir_of(id).join("container.json")
    }

    pub fn store_lock(&self) -> Result<Lock> {
        ondisk::create_private_dir(&self.dir)?;
        lock_file(&self.dir.join(".lock"))
    }

    /// Lock one container for a read-modify-write.
    pub fn lock(&self, id: &str) -> Result<Lock> {
        lock_file(&self.dir_of(id).join("lock"))
    }

    /// Serialise starts of one container (held by `start` until the
    /// monitor has reported, so two starts never run two monitors).
    pub fn start_lock(&self, id: &str) -> Result<Lock> {
        lock_file(&self.dir_of(id).join("start.lock"))
    }

    /// Create a container record (and its directories) atomically.
    pub fn create(&self, name: Option<&str>, config: ContainerConfig) -> Result<Container> {
        if let Some(n) = name {
            if !valid_name(n) {
                bail!(
                    "invalid container name `{n}`: use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
                );
            }
        }
        let _lock = self.store_lock()?;
        let existing = self.list()?;
        let taken: Vec<String> = existing.iter().map(|c| c.name.clone()).collect();
        let id = new_id()?;
        let name = match name {
            Some(n) if taken.iter().any(|t| t == n) => bail!(
                "the container name `{n}` is already in use\nhint: remove that container (`rctl rm {n}`) or pick another --name"
            ),
            Some(n) => n.to_string(),
            None => default_name(&id, &taken),
        };
        let container = Container {
            id: id.clone(),
            name,
            created: super::now(),
            config,
            state: State {
                status: Status::Created,
                pid: None,
                pid_start: None,
                monitor_pid: None,
                exit_code: None,
                started_at: None,
                finished_at: None,
                network: None,
                cgroup: None,
                oom_killed: false,
                restart_count: 0,
                stopped_by_user: false,
                health: None,
                creating: creator_stamp(),
            },
        };
        let tmp = self.dir.join(format!(".tmp-{id}"));
        let result = (|| -> Result<()> {
            for sub in ["", "userdata", "upper", "work", "merged"] {
                ondisk::create_private_dir(&tmp.join(sub))?;
            }
            // Overlay shows the upper directory's mode as the container's
            // `/`: it must let every user of the container in (the
            // container's own directory above stays 0700 on the host).
            fs_err::set_permissions(
                tmp.join("upper"),
                std::os::unix::fs::PermissionsExt::from_mode(0o755),
            )?;
            // Space for the records to come (the exit above all), taken
            // back when the disk is full: see `save`.
            fs_err::write(tmp.join(RESERVE), [0u8; RESERVE_SIZE])?;
            ondisk::write_atomic(
                &tmp.join("container.json"),
                &serde_json::to_vec_pretty(&container)?,
            )?;
            crashpoint("container.tmp-written");
            fs_err::rename(&tmp, self.dir_of(&id))?;
            crashpoint("container.renamed");
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result.map(|()| container)
    }

    /// Read one record by full id.
    pub fn load(&self, id: &str) -> Result<Container> {
        let path = self.record_path(id);
        let data = fs_err::read(&path)?;
        serde_json::from_slice(&data).with_context(|| format!("parse `{}`", path.display()))
    }

    /// Write a record (caller holds the container's lock). On a full disk
    /// the container's reserve file is given up so that the record (a
    /// monitor's exit record, say) is still written.
    pub fn save(&self, c: &Container) -> Result<()> {
        let path = self.record_path(&c.id);
        let data = serde_json::to_vec_pretty(c)?;
        match ondisk::write_atomic(&path, &data) {
            Err(e) if crate::error::disk_full(&e) => {
                if std::fs::remove_file(self.dir_of(&c.id).join(RESERVE)).is_err() {
                    return Err(e);
                }
                log::warn!(
                    "the disk is full: container {} used its reserved space for its record",
                    c.short_id()
                );
                ondisk::write_atomic(&path, &data)
            }
            r => r,
        }
    }

    /// Update a record under its lock.
    pub fn update(&self, id: &str, f: impl FnOnce(&mut Container)) -> Result<Container> {
        let _lock = self.lock(id)?;
        let mut c = self.load(id)?;
        f(&mut c);
        self.save(&c)?;
        Ok(c)
    }

    /// All containers, oldest first.
    pub fn list(&self) -> Result<Vec<Container>> {
        let entries = match fs_err::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            match self.load(&name) {
                Ok(c) => out.push(c),
                // Removed between readdir and read: skip.
                Err(_) if !self.record_path(&name).exists() => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by_key(|c| c.created);
        Ok(out)
    }

    /// Find a container by exact name, full id, or unique id prefix.
    pub fn lookup(&self, key: &str) -> Result<Container> {
        let all = self.list()?;
        if let Some(c) = all.iter().find(|c| c.name == key || c.id == key) {
            return Ok(c.clone());
        }
        let matches: Vec<&Container> = if key.is_empty() {
            Vec::new()
        } else {
            all.iter().filter(|c| c.id.starts_with(key)).collect()
        };
        match matches.as_slice() {
            [] => Err(LookupError::NotFound(key.to_string()).into()),
            [one] => Ok((*one).clone()),
            many => Err(LookupError::Ambiguous(
                key.to_string(),
                many.iter()
                    .map(|c| c.short_id())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into()),
        }
    }

    /// Rename under the store lock.
    pub fn rename(&self, id: &str, new: &str) -> Result<()> {
        if !valid_name(new) {
            bail!("invalid container name `{new}`");
        }
        let _lock = self.store_lock()?;
        if self.list()?.iter().any(|c| c.name == new) {
            bail!("the container name `{new}` is already in use");
        }
        self.update(id, |c| c.name = new.to_string())?;
        Ok(())
    }

    /// Delete a container's directory (the record first, so a crash
    /// leaves no half-visible container).
    pub fn remove(&self, id: &str) -> Result<()> {
        let record = self.load(id).ok();
        record
            .iter()
            .for_each(|c| crate::events::container("remove", c));
        // A `--rm` container's exit code outlives it a while, so that
        // `wait` still answers (as in Podman).
        if let Some(c) = record.as_ref().filter(|c| c.config.remove) {
            if let Some(code) = c.state.exit_code {
                if let Err(e) = self.keep_exit(c, code) {
                    ::log::warn!("keep the exit code of container {id}: {e:#}");
                }
            }
        }
        let config = record.map(|c| c.config);
        let image = config.as_ref().and_then(|c| c.image_id.clone());
        let dir = self.dir_of(id);
        let gone = self.dir.join(format!(".rm-{id}"));
        fs_err::rename(&dir, &gone)?;
        crashpoint("container.rm-renamed");
        fs_err::remove_dir_all(&gone)?;
        // `--rm` takes the container's anonymous volumes along (Podman's
        // rule); otherwise `rm -v` asks for it.
        if let Some(cfg) = config
            .as_ref()
            .filter(|c| c.remove && !c.mounts.anonymous.is_empty())
        {
            match self.list() {
                Ok(others) => crate::volume::remove_anonymous(self.root(), cfg, &others),
                Err(e) => log::warn!("keep the anonymous volumes of container `{id}`: {e:#}"),
            }
        }
        crashpoint("container.rm-deleted");
        // The container is gone: the image no longer has this user.
        if let Some(image) = image {
            crate::image::resolve::forget_use(self.root(), &image, id)?;
        }
        Ok(())
    }
}

/// How long the exit code of a removed `--rm` container is kept.
const KEEP_EXIT: std::time::Duration = std::time::Duration::from_secs(300);

/// The exit of a removed `--rm` container (`containers/.exits/<id>`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct KeptExit {
    id: String,
    name: String,
    exit_code: i32,
}

impl Store {
    fn exits_dir(&self) -> PathBuf {
        self.dir.join(".exits")
    }

    /// Record `c`'s exit before its directory goes; drop records older
    /// than `KEEP_EXIT`.
    fn keep_exit(&self, c: &Container, code: i32) -> Result<()> {
        let dir = self.exits_dir();
        ondisk::create_private_dir(&dir)?;
        let kept = KeptExit {
            id: c.id.clone(),
            name: c.name.clone(),
            exit_code: code,
        };
        ondisk::write_atomic(&dir.join(&c.id), &serde_json::to_vec(&kept)?)?;
        for e in fs_err::read_dir(&dir)?.flatten() {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > KEEP_EXIT);
            if old {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(())
    }

    /// The exit code of a recently removed `--rm` container, by full id,
    /// unique id prefix or name (the newest of that name).
    pub fn removed_exit_code(&self, key: &str) -> Option<i32> {
        if key.is_empty() {
            return None;
        }
        let mut found: Vec<(std::time::SystemTime, KeptExit)> = std::fs::read_dir(self.exits_dir())
            .ok()?
            .flatten()
            .filter_map(|e| {
                let when = e.metadata().and_then(|m| m.modified()).ok()?;
                let kept: KeptExit = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
                let fresh = when.elapsed().is_ok_and(|age| age <= KEEP_EXIT);
                (fresh && (kept.name == key || kept.id.starts_with(key))).then_some((when, kept))
            })
            .collect();
        found.sort_by_key(|(when, _)| *when);
        let by_name = found
            .iter()
            .rev()
            .find(|(_, k)| k.name == key || k.id == key);
        match (by_name, found.as_slice()) {
            (Some((_, k)), _) => Some(k.exit_code),
            (None, [(_, one)]) => Some(one.exit_code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("web-1.a_b"));
        assert!(!valid_name("-x"));
        assert!(!valid_name(""));
        assert!(!valid_name("a/b"));
        let id = "0123456789abcdef";
        let n = default_name(id, &[]);
        assert!(valid_name(&n));
        assert_ne!(default_name(id, std::slice::from_ref(&n)), n);
    }
}
