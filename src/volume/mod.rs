//! Named and anonymous volumes: directories under the storage root
//! (`ROOT/volumes/NAME/_data`) with a `volume.json` record, created under a
//! temporary name and renamed into place, removed by renaming away first, so
//! an interrupted command never leaves half a volume that looks whole.
//! Which containers use a volume is read from the containers' own configs
//! (there is no second record to drift).

pub mod plan;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};

use crate::mountspec::{MountSource, valid_volume_name};
use crate::ondisk;

/// One volume's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub driver: String,
    /// The host directory mounted into containers.
    pub mountpoint: PathBuf,
    /// RFC 3339.
    pub created_at: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Created for one container (`-v /path`, an image's VOLUME); `rm -v`
    /// and `--rm` remove it with the container.
    #[serde(default)]
    pub anonymous: bool,
}

/// What `volume create` (or a `-v NAME:` of a missing volume) asks for.
#[derive(Debug, Clone, Default)]
pub struct NewVolume {
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
    pub anonymous: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error("no volume named `{0}`\nhint: list volumes with `rctl volume ls`")]
    NotFound(String),
    #[error(
        "a volume named `{0}` already exists\nhint: pick another name, or remove it with `rctl volume rm {0}`"
    )]
    Exists(String),
    #[error(
        "invalid volume name `{0}`\nhint: volume names start with a letter or digit and contain only letters, digits, `_`, `.` and `-`"
    )]
    InvalidName(String),
    #[error(
        "volume `{0}` is used by container(s) {1}\nhint: remove the container(s) first, or use `rctl volume rm -f {0}` to remove them too"
    )]
    InUse(String, String),
}

/// Parse `--label KEY[=VALUE]` / `--opt KEY=VALUE` lists.
pub fn parse_pairs(flag: &str, items: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for i in items {
        let (k, v) = i.split_once('=').unwrap_or((i, ""));
        if k.is_empty() {
            bail!("invalid {flag} `{i}`: empty key\nhint: write KEY=VALUE");
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

/// Check `--opt` values: rctl's local driver knows `o=uid=N,gid=N` (owner
/// of the volume's root inside the container's user namespace).
pub fn check_options(opts: &BTreeMap<String, String>) -> Result<Option<(u32, u32)>> {
    let mut owner = None;
    for (k, v) in opts {
        if k != "o" {
            bail!(
                "unsupported volume option `{k}={v}`\nhint: rctl's local driver supports `--opt o=uid=N,gid=N`"
            );
        }
        let (mut uid, mut gid) = (0, 0);
        for part in v.split(',').filter(|p| !p.is_empty()) {
            let num = |s: &str| {
                s.parse::<u32>()
                    .with_context(|| format!("volume option `o={v}`: `{s}` is not a number"))
            };
            match part.split_once('=') {
                Some(("uid", n)) => uid = num(n)?,
                Some(("gid", n)) => gid = num(n)?,
                _ => bail!(
                    "unsupported volume mount option `{part}` in `o={v}`\nhint: rctl's local driver supports `o=uid=N,gid=N`"
                ),
            }
        }
        owner = Some((uid, gid));
    }
    Ok(owner)
}

/// A held lock; released on drop.
struct Lock(#[allow(dead_code)] Flock<std::fs::File>);

/// The per-user volume store.
pub struct VolumeStore {
    dir: PathBuf,
}

/// A fresh anonymous volume name (64 hex digits, as Podman's).
pub fn anonymous_name() -> Result<String> {
    let mut b = [0u8; 32];
    fs_err::File::open("/dev/urandom")?
        .read_exact(&mut b)
        .context("read /dev/urandom")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

impl VolumeStore {
    /// The store under the storage root `root`.
    pub fn new(root: &Path) -> VolumeStore {
        VolumeStore {
            dir: root.join("volumes"),
        }
    }

    /// The directory of volume `name`.
    pub fn dir_of(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The host directory containers see for volume `name`.
    pub fn data_of(&self, name: &str) -> PathBuf {
        self.dir_of(name).join("_data")
    }

    fn lock(&self) -> Result<Lock> {
        ondisk::create_private_dir(&self.dir)?;
        let path = self.dir.join(".lock");
        let f = fs_err::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        Flock::lock(f.into_parts().0, FlockArg::LockExclusive)
            .map(Lock)
            .map_err(|(_, e)| e)
            .with_context(|| format!("lock `{}`", path.display()))
    }

    /// Create volume `name`; an existing one is an error.
    pub fn create(&self, name: &str, new: &NewVolume) -> Result<Volume> {
        if !valid_volume_name(name) {
            return Err(VolumeError::InvalidName(name.to_string()).into());
        }
        let owner = check_options(&new.options)?;
        let _lock = self.lock()?;
        if self.dir_of(name).exists() {
            return Err(VolumeError::Exists(name.to_string()).into());
        }
        self.create_locked(name, new, owner)
    }

    /// The volume `name`, created when missing (`-v NAME:/path`); the bool
    /// says whether it was created now.
    pub fn ensure(&self, name: &str, new: &NewVolume) -> Result<(Volume, bool)> {
        let _lock = self.lock()?;
        match self.load(name) {
            Ok(v) => Ok((v, false)),
            Err(e) if e.downcast_ref::<VolumeError>().is_some() => {
                let owner = check_options(&new.options)?;
                Ok((self.create_locked(name, new, owner)?, true))
            }
            Err(e) => Err(e),
        }
    }

    fn create_locked(
        &self,
        name: &str,
        new: &NewVolume,
        owner: Option<(u32, u32)>,
    ) -> Result<Volume> {
        let vol = Volume {
            name: name.to_string(),
            driver: "local".into(),
            mountpoint: self.data_of(name),
            created_at: crate::container::rfc3339(crate::container::now()),
            labels: new.labels.clone(),
            options: new.options.clone(),
            anonymous: new.anonymous,
        };
        let tmp = self.dir.join(format!(".tmp-{name}-{}", std::process::id()));
        let result = (|| -> Result<()> {
            ondisk::create_private_dir(&tmp)?;
            let data = tmp.join("_data");
            fs_err::create_dir(&data)?;
            // Containers' users other than root must reach the volume.
            fs_err::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::lchown(&data, Some(uid), Some(gid)).with_context(|| {
                    format!(
                        "give volume `{name}` to uid {uid} gid {gid}\nhint: that id must be mapped in rctl's user namespace (see /etc/subuid)"
                    )
                })?;
            }
            ondisk::write_atomic(&tmp.join("volume.json"), &serde_json::to_vec_pretty(&vol)?)?;
            crate::crashpoint::crashpoint("volume.tmp-written");
            fs_err::rename(&tmp, self.dir_of(name))?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result.map(|()| vol)
    }

    /// Read volume `name`.
    pub fn load(&self, name: &str) -> Result<Volume> {
        if !valid_volume_name(name) {
            return Err(VolumeError::NotFound(name.to_string()).into());
        }
        let path = self.dir_of(name).join("volume.json");
        let data = match fs_err::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(VolumeError::NotFound(name.to_string()).into());
            }
            Err(e) => return Err(e.into()),
        };
        serde_json::from_slice(&data).with_context(|| format!("parse `{}`", path.display()))
    }

    /// Every volume, by name.
    pub fn list(&self) -> Result<Vec<Volume>> {
        let entries = match fs_err::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries {
            let name = e?.file_name().to_string_lossy().into_owned();
            if !valid_volume_name(&name) {
                continue; // `.lock`, `.tmp-…`, `.rm-…`
            }
            match self.load(&name) {
                Ok(v) => out.push(v),
                Err(e) if e.downcast_ref::<VolumeError>().is_some() => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Remove volume `name` (the caller checked it is unused).
    pub fn remove(&self, name: &str) -> Result<()> {
        let _lock = self.lock()?;
        self.load(name)?;
        let gone = self.dir.join(format!(".rm-{name}-{}", std::process::id()));
        fs_err::rename(self.dir_of(name), &gone)?;
        crate::crashpoint::crashpoint("volume.rm-renamed");
        fs_err::remove_dir_all(&gone)?;
        crate::crashpoint::crashpoint("volume.rm-deleted");
        Ok(())
    }

    /// The leftovers of creates and removals that died (`.tmp-*`, `.rm-*`),
    /// read under the store lock (so none is at work), and the lock.
    pub fn leftovers(&self) -> Result<(impl Sized + use<>, Vec<PathBuf>)> {
        let lock = self.lock()?;
        let mut out = Vec::new();
        for e in fs_err::read_dir(&self.dir)? {
            let e = e?;
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(".rm-") || n.starts_with(".tmp-") {
                out.push(e.path());
            }
        }
        Ok((lock, out))
    }

    /// Remove leftovers of interrupted creates and removals (under the
    /// store lock, so no create or removal is in progress).
    pub fn clean_leftovers(&self) -> Result<()> {
        if !self.dir.exists() {
            return Ok(());
        }
        let _lock = self.lock()?;
        for e in fs_err::read_dir(&self.dir)? {
            let e = e?;
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(".rm-") || n.starts_with(".tmp-") {
                fs_err::remove_dir_all(e.path())?;
            }
        }
        Ok(())
    }
}

/// What `run`/`create` typed about mounts.
pub struct MountFlags<'a> {
    pub volume: &'a [String],
    pub mount: &'a [String],
    pub tmpfs: &'a [String],
    pub volumes_from: &'a [String],
    pub read_only_tmpfs: bool,
    pub shm_size: Option<&'a str>,
}

/// Parse and check a container's mount flags into a plan; creates nothing
/// (volumes are made by [`create_for`] once the container exists). A bind
/// source must exist; `--volumes-from` containers must exist.
pub fn plan_for(
    root: &Path,
    flags: &MountFlags<'_>,
    image_volumes: &[String],
) -> Result<plan::MountPlan> {
    use crate::mountspec::{parse_mount, parse_tmpfs, parse_volume};
    let mut requests = Vec::new();
    for v in flags.volume {
        requests.push(parse_volume(v)?);
    }
    for m in flags.mount {
        requests.push(parse_mount(m)?);
    }
    for t in flags.tmpfs {
        requests.push(parse_tmpfs(t)?);
    }
    for r in &requests {
        if let MountSource::Bind { source } = &r.source {
            match fs_err::metadata(source) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                    "bind mount source `{}` does not exist\nhint: create it first (`mkdir -p {}`) or fix the path",
                    source.display(),
                    source.display()
                ),
                Err(e) => {
                    return Err(anyhow::Error::new(e).context(format!(
                        "bind mount source `{}` cannot be used",
                        source.display()
                    )));
                }
            }
        }
    }
    let mut from = Vec::new();
    if !flags.volumes_from.is_empty() {
        let containers = crate::container::store::Store::new(root);
        for f in flags.volumes_from {
            let (name, mode) = plan::parse_volumes_from(f).map_err(anyhow::Error::msg)?;
            let c = containers
                .lookup(name)
                .with_context(|| format!("--volumes-from `{f}`"))?;
            from.extend(plan::volumes_from(&c.config.mounts, mode));
        }
    }
    let store = VolumeStore::new(root);
    let mut anon_err = None;
    let mut anon = || match anonymous_name() {
        Ok(n) => n,
        Err(e) => {
            anon_err = Some(e);
            String::new()
        }
    };
    let mut p = plan::build(
        requests,
        from,
        image_volumes,
        &|n| store.data_of(n),
        &mut anon,
    )?;
    if let Some(e) = anon_err {
        return Err(e);
    }
    p.read_only_tmpfs = flags.read_only_tmpfs;
    p.shm_size = plan::shm_size(flags.shm_size)?;
    Ok(p)
}

/// Create the volumes a new container's plan needs: its anonymous volumes
/// and the named ones that do not exist yet. Records what it created in
/// `plan.created` so a failed create can remove them again.
pub fn create_for(root: &Path, plan: &mut plan::MountPlan) -> Result<()> {
    let store = VolumeStore::new(root);
    for m in &plan.mounts {
        let MountSource::Volume { name: Some(name) } = &m.request.source else {
            continue;
        };
        let anonymous = plan.anonymous.contains(name);
        let (_, created) = store.ensure(
            name,
            &NewVolume {
                anonymous,
                ..NewVolume::default()
            },
        )?;
        if created && !anonymous {
            plan.created.push(name.clone());
        }
        if created {
            crate::crashpoint::crashpoint("volume.created-for-container");
        }
    }
    Ok(())
}

/// Undo [`create_for`] after a failed create.
pub fn remove_created(root: &Path, plan: &plan::MountPlan) {
    let store = VolumeStore::new(root);
    for n in plan.anonymous.iter().chain(&plan.created) {
        let _ = store.remove(n);
    }
}

/// `U`: give each such mount's source (recursively) to the container's
/// user (ids as rctl's user namespace sees them).
pub fn chown_sources(plan: &plan::MountPlan, uid: u32, gid: u32) -> Result<()> {
    for m in plan.mounts.iter().filter(|m| m.request.chown) {
        if let Some(src) = &m.source {
            chown_tree(src, uid, gid)
                .with_context(|| format!("chown `{}` for the U option", src.display()))?;
        }
    }
    Ok(())
}

fn chown_tree(path: &Path, uid: u32, gid: u32) -> Result<()> {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid))
        .with_context(|| format!("chown `{}`", path.display()))?;
    let meta = fs_err::symlink_metadata(path)?;
    if meta.is_dir() {
        for e in fs_err::read_dir(path)? {
            chown_tree(&e?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// A container's mounts as `inspect` shows them (Podman's `Mounts`).
pub fn inspect_mounts(plan: &plan::MountPlan) -> serde_json::Value {
    plan.mounts
        .iter()
        .map(|m| {
            let r = &m.request;
            let (typ, name) = match &r.source {
                MountSource::Bind { .. } => ("bind", None),
                MountSource::Volume { name } => ("volume", name.clone()),
                MountSource::Tmpfs { .. } => ("tmpfs", None),
            };
            serde_json::json!({
                "Type": typ,
                "Name": name,
                "Source": m.source.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "tmpfs".into()),
                "Destination": r.destination,
                "Driver": if typ == "volume" { "local" } else { "" },
                "RW": !r.readonly,
                "Anonymous": name.as_ref().is_some_and(|n| plan.anonymous.contains(n)),
            })
        })
        .collect()
}

/// The volume names a container's configuration mounts.
pub fn names_used(cfg: &crate::runtime::ContainerConfig) -> Vec<String> {
    cfg.mounts
        .mounts
        .iter()
        .filter_map(|m| match &m.request.source {
            MountSource::Volume { name } => name.clone(),
            _ => None,
        })
        .collect()
}

/// The names of containers (in `containers`) that use volume `name`.
pub fn users_of(containers: &[crate::container::Container], name: &str) -> Vec<String> {
    containers
        .iter()
        .filter(|c| names_used(&c.config).iter().any(|n| n == name))
        .map(|c| c.name.clone())
        .collect()
}

/// Remove the anonymous volumes a removed container owned, unless another
/// container still uses one (`--volumes-from`). Failures are warnings: the
/// container is gone already.
pub fn remove_anonymous(
    root: &Path,
    cfg: &crate::runtime::ContainerConfig,
    others: &[crate::container::Container],
) {
    let store = VolumeStore::new(root);
    for name in &cfg.mounts.anonymous {
        if !users_of(others, name).is_empty() {
            continue;
        }
        match store.remove(name) {
            Ok(()) => {}
            Err(e) if e.downcast_ref::<VolumeError>().is_some() => {}
            Err(e) => log::warn!("remove anonymous volume `{name}`: {e:#}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_options() {
        let p = parse_pairs("--label", &["a=1".into(), "b".into()]).unwrap();
        assert_eq!(p.get("a").map(String::as_str), Some("1"));
        assert_eq!(p.get("b").map(String::as_str), Some(""));
        assert!(parse_pairs("--label", &["=x".into()]).is_err());
        let mut o = BTreeMap::new();
        assert_eq!(check_options(&o).unwrap(), None);
        o.insert("o".into(), "uid=1000,gid=100".into());
        assert_eq!(check_options(&o).unwrap(), Some((1000, 100)));
        o.insert("o".into(), "size=10m".into());
        assert!(
            check_options(&o)
                .unwrap_err()
                .to_string()
                .contains("size=10m")
        );
        let mut t = BTreeMap::new();
        t.insert("type".into(), "tmpfs".into());
        assert!(check_options(&t).unwrap_err().to_string().contains("hint:"));
    }

    #[test]
    fn store_round_trip() {
        let tmp = std::env::temp_dir().join(format!("rctl-vol-test-{}", std::process::id()));
        let s = VolumeStore::new(&tmp);
        let v = s.create("data", &NewVolume::default()).unwrap();
        assert!(v.mountpoint.ends_with("volumes/data/_data"));
        assert!(v.mountpoint.is_dir());
        assert!(s.create("data", &NewVolume::default()).is_err());
        assert!(s.create("-bad", &NewVolume::default()).is_err());
        let (_, created) = s.ensure("data", &NewVolume::default()).unwrap();
        assert!(!created);
        let (_, created) = s.ensure("other", &NewVolume::default()).unwrap();
        assert!(created);
        let names: Vec<String> = s.list().unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["data", "other"]);
        s.remove("data").unwrap();
        assert!(s.load("data").is_err());
        // An interrupted create leaves a temporary directory that is not a
        // volume; clean_leftovers takes it away.
        std::fs::create_dir_all(tmp.join("volumes/.tmp-half-1/_data")).unwrap();
        assert_eq!(s.list().unwrap().len(), 1);
        s.clean_leftovers().unwrap();
        assert!(!tmp.join("volumes/.tmp-half-1").exists());
        assert!(s.remove("data").is_err());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
