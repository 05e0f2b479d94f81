//! The per-user image store: layers extracted under `layers/<id>/diff`
//! with short links `l/<LINK>` for overlay lower dirs, and image records,
//! manifests and configs in an SQLite database (`images.db`, WAL).
//!
//! Layers are written under `layers/.tmp-<hex>-<pid>-<n>` and renamed into
//! place only when complete; an image row is written only after all its
//! layers exist. The next store opening removes leftovers of processes that
//! are gone. Must be used inside rctl's user namespace (after `App::enter`).

pub mod db;
pub mod digest;
pub mod layer;
mod names;
pub mod reference;
pub mod shared;
mod usage;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result, bail};
use oci_spec::image::ImageConfiguration;
use rusqlite::{Connection, params};

use crate::config::Dirs;
use crate::crashpoint::crashpoint;
use crate::ondisk;
pub use digest::Digest;
pub use reference::{Input, Reference};

/// The store of one user.
pub struct Store {
    root: PathBuf,
    conn: Connection,
    /// Set by [`Store::sync`], cleared when a pending layer is created.
    synced: std::cell::Cell<bool>,
    /// The most bytes a layer may unpack to (`storage.max_layer_size`).
    max_layer_size: u64,
}

/// One layer of an image.
#[derive(Debug, Clone)]
pub struct Layer {
    pub diff_id: String,
    /// The extracted tree (`ROOT/layers/<hex>/diff`).
    pub dir: PathBuf,
    /// The short link relative to the store root (`l/<LINK>`), for overlay
    /// `lowerdir=` strings mounted with the store root as working directory.
    pub link: String,
    pub size: u64,
}

/// An image record with everything a container needs.
#[derive(Debug, Clone)]
pub struct Image {
    /// The config digest's hex (the image ID).
    pub id: String,
    pub manifest_digest: String,
    pub config_digest: String,
    pub names: Vec<String>,
    pub config: ImageConfiguration,
    pub config_raw: Vec<u8>,
    pub manifest_raw: Vec<u8>,
    /// Lowest first.
    pub layers: Vec<Layer>,
    pub size: u64,
    pub created: Option<String>,
    /// Seconds since the epoch when this store got the image.
    pub added: i64,
}

impl Image {
    /// The layer directories, lowest first.
    pub fn layer_dirs(&self) -> Vec<PathBuf> {
        self.layers.iter().map(|l| l.dir.clone()).collect()
    }

    /// The first 12 hex digits of the ID.
    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }
}

/// What to record for a newly pulled, imported or loaded image.
pub struct NewImage {
    pub manifest: Vec<u8>,
    pub config: Vec<u8>,
    /// diff_ids, lowest first; every one must have been committed.
    pub diff_ids: Vec<Digest>,
    pub names: Vec<String>,
}

/// A layer being extracted; removed when dropped uncommitted.
pub struct PendingLayer {
    dir: PathBuf,
    committed: bool,
}

impl PendingLayer {
    /// The directory to extract into.
    pub fn diff(&self) -> PathBuf {
        self.dir.join("diff")
    }

    /// Where the layer's blob (as pulled or imported) is kept, for push and save.
    pub fn blob(&self) -> PathBuf {
        self.dir.join("blob")
    }

    /// Record what the kept blob is (written next to it as `blob.json`).
    pub fn describe_blob(&self, info: &BlobInfo) -> Result<()> {
        ondisk::write_atomic(&self.dir.join("blob.json"), &serde_json::to_vec(info)?)
    }
}

/// The blob a layer came from: its digest, media type and size.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlobInfo {
    pub digest: String,
    #[serde(rename = "mediaType")]
    pub media_type: String,
    pub size: u64,
}

impl Drop for PendingLayer {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The outcome of removing one image.
#[derive(Debug)]
pub enum Removal {
    /// Only the name was removed; the image keeps other names.
    Untagged(String),
    Deleted(String),
}

/// An image could not be found.
#[derive(Debug, thiserror::Error)]
#[error(
    "image `{0}` not found\nhint: see `rctl images` for the images you have, or `rctl pull {0}`"
)]
pub struct NotFound(pub String);

static PENDING_SEQ: AtomicU32 = AtomicU32::new(0);

fn random_link() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    fs_err::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % 32] as char)
        .collect())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn pid_alive(pid: &str) -> bool {
    pid.parse::<u32>()
        .is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists())
}

impl Store {
    /// Open the store under `dirs.root`, creating it, and clean up what
    /// interrupted commands left behind.
    pub fn open(dirs: &Dirs) -> Result<Store> {
        Store::open_at(&dirs.root)
    }

    /// Open the store rooted at `root`.
    pub fn open_at(root: &Path) -> Result<Store> {
        ondisk::create_private_dir(root)?;
        for sub in ["layers", "l"] {
            ondisk::create_private_dir(&root.join(sub))?;
        }
        let conn = db::open(&root.join("images.db"))?;
        let store = Store {
            root: root.to_path_buf(),
            conn,
            synced: std::cell::Cell::new(false),
            max_layer_size: crate::config::DEFAULT_MAX_LAYER_SIZE,
        };
        store.clean_leftovers();
        Ok(store)
    }

    /// Bound the size a layer may unpack to (`storage.max_layer_size`).
    pub fn with_max_layer_size(mut self, limit: u64) -> Store {
        self.max_layer_size = limit;
        self
    }

    /// The most bytes a layer may unpack to.
    pub fn max_layer_size(&self) -> u64 {
        self.max_layer_size
    }

    /// The storage root (overlay lower-dir links are relative to it).
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn layer_home(&self, diff_id: &str) -> PathBuf {
        let hex = diff_id.strip_prefix("sha256:").unwrap_or(diff_id);
        self.root.join("layers").join(hex)
    }

    /// Remove `.tmp-*` and `.rm-*` layer directories of dead processes.
    fn clean_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(self.root.join("layers")) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name
                .strip_prefix(".tmp-")
                .or_else(|| name.strip_prefix(".rm-"))
            else {
                continue;
            };
            let pid = rest.split('-').nth(1).unwrap_or("");
            if !pid_alive(pid) {
                if name.starts_with(".rm-") && self.restore_layer(&e.path(), rest) {
                    continue;
                }
                log::debug!("removing leftover `{}`", e.path().display());
                if let Err(err) = std::fs::remove_dir_all(e.path()) {
                    log::warn!("remove leftover `{}`: {err}", e.path().display());
                }
            }
        }
    }

    /// Put back a layer directory that an `rmi` moved aside (`.rm-<hex>-…`)
    /// before it died in its transaction: the rows were rolled back, so
    /// the layer is still recorded and must stay. True when restored.
    fn restore_layer(&self, trash: &Path, rest: &str) -> bool {
        let hex = rest.split('-').next().unwrap_or("");
        if hex.len() != 64 {
            return false;
        }
        let home = self.root.join("layers").join(hex);
        if home.exists() || !db::layer_exists(&self.conn, &format!("sha256:{hex}")).unwrap_or(false)
        {
            return false;
        }
        match std::fs::rename(trash, &home) {
            Ok(()) => {
                log::debug!("restored layer `{}`", home.display());
                true
            }
            Err(e) => {
                log::warn!("restore `{}`: {e}", home.display());
                false
            }
        }
    }

    /// Whether the layer with this diff_id is in the store.
    pub fn has_layer(&self, diff_id: &Digest) -> Result<bool> {
        db::layer_exists(&self.conn, diff_id.as_str())
    }

    /// The short link (`ROOT/l/LINK`, for overlay `lowerdir=`) of a
    /// committed layer; `None` when the store does not have it.
    pub fn layer_link(&self, diff_id: &str) -> Result<Option<PathBuf>> {
        Ok(db::layer_link(&self.conn, diff_id)?.map(|l| self.root.join("l").join(l)))
    }

    /// The kept blob of the layer `diff_id`, if the store has one.
    pub fn layer_blob(&self, diff_id: &str) -> Result<Option<(PathBuf, BlobInfo)>> {
        let home = self.layer_home(diff_id);
        let info = match fs_err::read(home.join("blob.json")) {
            Ok(b) => serde_json::from_slice::<BlobInfo>(&b)
                .with_context(|| format!("parse `{}`", home.join("blob.json").display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some((home.join("blob"), info)))
    }

    /// A fresh temporary directory to extract the layer `diff_id` into.
    pub fn pending_layer(&self, diff_id: &str) -> Result<PendingLayer> {
        let hex = diff_id.strip_prefix("sha256:").unwrap_or(diff_id);
        let dir = self.root.join("layers").join(format!(
            ".tmp-{}-{}-{}",
            &hex[..hex.len().min(16)],
            std::process::id(),
            PENDING_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        self.synced.set(false);
        fs_err::create_dir(&dir)?;
        fs_err::create_dir(dir.join("diff"))?;
        Ok(PendingLayer {
            dir,
            committed: false,
        })
    }

    /// Flush the filesystem the store lives on (`syncfs`), so that layers
    /// extracted so far are on disk before they are renamed into place.
    /// Call it once after extracting several layers; [`Store::commit_layer`]
    /// calls it itself when a layer was started after the last flush.
    pub fn sync(&self) -> Result<()> {
        crate::sys::dirfd::DirFd::open(&self.root.join("layers"))
            .and_then(|d| d.syncfs())
            .with_context(|| format!("flush `{}`", self.root.display()))?;
        self.synced.set(true);
        Ok(())
    }

    /// Make an extracted layer visible: flush it (unless [`Store::sync`]
    /// just did), rename it into place (or drop it if another process got
    /// there first) and record it.
    pub fn commit_layer(
        &mut self,
        mut pending: PendingLayer,
        diff_id: &Digest,
        size: u64,
    ) -> Result<()> {
        let home = self.layer_home(diff_id.as_str());
        if !self.synced.get() {
            self.sync()?;
        }
        match std::fs::rename(&pending.dir, &home) {
            Ok(()) => {
                pending.committed = true;
                crashpoint("store.layer-renamed");
            }
            Err(e)
                if e.raw_os_error() == Some(libc::ENOTEMPTY)
                    || e.raw_os_error() == Some(libc::EEXIST) =>
            {
                // Another process finished the same layer; ours is dropped.
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("rename `{}` to `{}`", pending.dir.display(), home.display())
                });
            }
        }
        drop(pending);
        let root = self.root.clone();
        db::write(&mut self.conn, |tx| {
            record_layer(tx, &root, diff_id.as_str(), size)
        })?;
        crashpoint("store.layer-recorded");
        Ok(())
    }

    /// Record an image whose layers are all committed. Returns the image
    /// ID, or the diff_ids that are missing (removed meanwhile by a
    /// concurrent `rmi`) so the caller can extract them again.
    pub fn commit_image(
        &mut self,
        new: &NewImage,
    ) -> Result<std::result::Result<String, Vec<Digest>>> {
        let config_digest = Digest::of(&new.config);
        let manifest_digest = Digest::of(&new.manifest);
        let config: ImageConfiguration =
            serde_json::from_slice(&new.config).context("parse the image config")?;
        let root = self.root.clone();
        db::write(&mut self.conn, |tx| {
            let mut missing = Vec::new();
            let mut size = 0i64;
            for d in &new.diff_ids {
                if !db::layer_exists(tx, d.as_str())? {
                    let home = root.join("layers").join(d.hex());
                    if home.join("diff").is_dir() {
                        record_layer(tx, &root, d.as_str(), 0)?;
                    } else {
                        missing.push(d.clone());
                        continue;
                    }
                }
                size += tx.query_row(
                    "SELECT size FROM layers WHERE diff_id = ?1",
                    [d.as_str()],
                    |r| r.get::<_, i64>(0),
                )?;
            }
            if !missing.is_empty() {
                return Ok(Err(missing));
            }
            let id = config_digest.hex().to_string();
            tx.execute(
                "INSERT OR IGNORE INTO blobs (digest, data) VALUES (?1, ?2)",
                params![config_digest.as_str(), new.config],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO blobs (digest, data) VALUES (?1, ?2)",
                params![manifest_digest.as_str(), new.manifest],
            )?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO images (id, manifest_digest, config_digest, size, created, added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    manifest_digest.as_str(),
                    config_digest.as_str(),
                    size,
                    config.created().clone(),
                    now()
                ],
            )?;
            if inserted == 1 {
                for (i, d) in new.diff_ids.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO image_layers (image_id, position, diff_id) VALUES (?1, ?2, ?3)",
                        params![id, i as i64, d.as_str()],
                    )?;
                }
            }
            for n in &new.names {
                tx.execute(
                    "INSERT OR REPLACE INTO names (name, image_id) VALUES (?1, ?2)",
                    params![n, id],
                )?;
            }
            crashpoint("store.image-tx-open");
            Ok(Ok(id))
        })
    }

    /// Find an image by name (full, or short through `search`), by ID or
    /// by a unique ID prefix of at least 3 hex digits.
    pub fn resolve(&self, text: &str, search: &[String]) -> Result<Image> {
        let id = self.resolve_id(text, search)?;
        self.image(&id)
    }

    /// The ID of the image `text` names; see [`Store::resolve`].
    pub fn resolve_id(&self, text: &str, search: &[String]) -> Result<String> {
        let hexish = |s: &str| s.len() >= 3 && s.bytes().all(|b| b.is_ascii_hexdigit());
        let id_text = text.strip_prefix("sha256:").unwrap_or(text);
        if hexish(id_text) {
            let ids = db::ids_with_prefix(&self.conn, id_text)?;
            match ids.len() {
                1 => return Ok(ids[0].clone()),
                0 => {}
                _ => bail!(
                    "image ID prefix `{id_text}` is ambiguous: it matches {}\nhint: give more digits",
                    ids.iter().map(|i| &i[..12]).collect::<Vec<_>>().join(", ")
                ),
            }
        }
        if let Ok(input) = Input::parse(text) {
            for cand in input.local_candidates(search) {
                if let Some(id) = db::image_by_name(&self.conn, &cand.store_name())? {
                    return Ok(id);
                }
                // `name@digest`: any image of that repository with that manifest digest.
                if let (Some(d), None) = (&cand.digest, &cand.tag) {
                    let found: Option<String> = rusqlite::OptionalExtension::optional(self.conn.query_row(
                        "SELECT i.id FROM images i JOIN names n ON n.image_id = i.id
                         WHERE i.manifest_digest = ?1 AND (n.name LIKE ?2 || ':%' OR n.name LIKE ?2 || '@%') LIMIT 1",
                        params![d.as_str(), cand.name()],
                        |r| r.get(0),
                    ))?;
                    if let Some(id) = found {
                        return Ok(id);
                    }
                }
            }
        }
        Err(NotFound(text.to_string()).into())
    }

    /// The full record of the image with this ID.
    pub fn image(&self, id: &str) -> Result<Image> {
        let row = db::image_by_id(&self.conn, id)?.ok_or_else(|| NotFound(id.to_string()))?;
        let config_raw = db::blob(&self.conn, &row.config_digest)?
            .with_context(|| format!("image {id}: config blob missing from the database"))?;
        let manifest_raw = db::blob(&self.conn, &row.manifest_digest)?.unwrap_or_default();
        let config: ImageConfiguration = serde_json::from_slice(&config_raw)
            .with_context(|| format!("parse the config of image {id}"))?;
        let layers = db::layers_of(&self.conn, id)?
            .into_iter()
            .map(|(diff_id, link, size)| Layer {
                dir: self.layer_home(&diff_id).join("diff"),
                diff_id,
                link: format!("l/{link}"),
                size: size as u64,
            })
            .collect();
        Ok(Image {
            names: db::names_of(&self.conn, id)?,
            id: row.id,
            manifest_digest: row.manifest_digest,
            config_digest: row.config_digest,
            config,
            config_raw,
            manifest_raw,
            layers,
            size: row.size as u64,
            created: row.created,
            added: row.added,
        })
    }

    /// Every image, newest first.
    pub fn images(&self) -> Result<Vec<Image>> {
        db::all_images(&self.conn)?
            .iter()
            .map(|r| self.image(&r.id))
            .collect()
    }
}

/// Insert the row of a layer whose directory is in place, with its link.
fn record_layer(
    tx: &rusqlite::Transaction<'_>,
    root: &Path,
    diff_id: &str,
    size: u64,
) -> Result<()> {
    if db::layer_link(tx, diff_id)?.is_some() {
        return Ok(());
    }
    let hex = diff_id.strip_prefix("sha256:").unwrap_or(diff_id);
    let link = random_link()?;
    let link_path = root.join("l").join(&link);
    std::os::unix::fs::symlink(format!("../layers/{hex}/diff"), &link_path)
        .with_context(|| format!("create layer link `{}`", link_path.display()))?;
    tx.execute(
        "INSERT INTO layers (diff_id, link, size) VALUES (?1, ?2, ?3)",
        params![diff_id, link, size as i64],
    )?;
    Ok(())
}
