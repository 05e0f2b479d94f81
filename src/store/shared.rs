//! Read-only shared image stores: directories of pre-pulled images in
//! rctl's store layout, named by the admin in the system-wide config
//! (`storage.image_stores`), that every user's rctl reads without copying.
//!
//! A shared store is opened with SQLite's `immutable` flag (no lock, no
//! journal, nothing written), so users need only read access; its layers
//! are used in place as overlay lower directories (absolute paths to the
//! store's `l/` links). The admin updates it while no user reads it (rctl
//! checkpoints and removes the WAL when its last connection closes).
//! Files there belong to ids outside the users' namespaces and show as
//! `nobody` inside containers, as with Podman's additional image stores.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};

use super::{Image, NotFound, Store};

/// `path` as an SQLite URI path (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

impl Store {
    /// Open the shared store at `root` for reading only: nothing is created,
    /// cleaned or written there.
    pub fn open_shared(root: &Path) -> Result<Store> {
        let db = root.join("images.db");
        fs_err::metadata(&db).context("open shared image store")?;
        let conn = Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(&db)),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("open shared image database `{}`", db.display()))?;
        Ok(Store {
            root: root.to_path_buf(),
            conn,
            synced: std::cell::Cell::new(true),
            // Nothing is unpacked into a shared store.
            max_layer_size: crate::config::DEFAULT_MAX_LAYER_SIZE,
        })
    }

    /// Whether the image `id` is recorded in this store.
    pub fn has_image(&self, id: &str) -> Result<bool> {
        Ok(super::db::image_by_id(&self.conn, id)?.is_some())
    }
}

/// The shared stores configured, opened; one that cannot be opened is
/// skipped with a warning naming it.
pub fn open_all(paths: &[PathBuf]) -> Vec<Store> {
    paths
        .iter()
        .filter_map(|p| match Store::open_shared(p) {
            Ok(s) => Some(s),
            Err(e) => {
                log::warn!(
                    "shared image store `{}` skipped: {e:#}\nhint: the admin must make it readable by every user (`chmod -R a+rX {}`)",
                    p.display(),
                    p.display()
                );
                None
            }
        })
        .collect()
}

/// An image of a shared store, with its layer links made absolute so
/// that they work from any user's store.
fn absolute_links(store: &Store, mut image: Image) -> Image {
    for l in &mut image.layers {
        l.link = store.root().join(&l.link).to_string_lossy().into_owned();
    }
    image
}

/// Find `text` in the shared stores; `None` when none has it.
pub fn resolve(
    stores: &[Store],
    text: &str,
    search: &[String],
) -> Result<Option<(PathBuf, Image)>> {
    for s in stores {
        match s.resolve(text, search) {
            Ok(image) => return Ok(Some((s.root().to_path_buf(), absolute_links(s, image)))),
            Err(e) if e.downcast_ref::<NotFound>().is_some() => {}
            Err(e) => return Err(e.context(format!("shared image store `{}`", s.root().display()))),
        }
    }
    Ok(None)
}

/// Every image of the shared stores with the store it is in.
pub fn images(stores: &[Store]) -> Vec<(PathBuf, Image)> {
    let mut out = Vec::new();
    for s in stores {
        match s.images() {
            Ok(list) => out.extend(
                list.into_iter()
                    .map(|i| (s.root().to_path_buf(), absolute_links(s, i))),
            ),
            Err(e) => log::warn!("shared image store `{}`: {e:#}", s.root().display()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewImage;

    #[test]
    fn shared_store_reads_without_writing_and_links_are_absolute() {
        let dir = std::env::temp_dir().join(format!("rctl-shared-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let id = {
            let mut s = Store::open_at(&dir).unwrap();
            s.commit_image(&NewImage {
                manifest: b"{}".to_vec(),
                config: br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec(),
                diff_ids: Vec::new(),
                names: vec!["localhost/shared:1".into()],
            })
            .unwrap()
            .unwrap()
        };
        let before: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let stores = open_all(std::slice::from_ref(&dir));
        assert_eq!(stores.len(), 1);
        let (root, img) = resolve(&stores, "shared:1", &[]).unwrap().unwrap();
        assert_eq!(
            (root.as_path(), img.id.as_str()),
            (dir.as_path(), id.as_str())
        );
        assert!(resolve(&stores, "other", &[]).unwrap().is_none());
        assert_eq!(images(&stores).len(), 1);
        assert!(stores[0].has_image(&id).unwrap());
        let after: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(before.len(), after.len(), "{before:?} {after:?}");
        // A missing store is skipped, not an error.
        assert!(open_all(&[dir.join("nope")]).is_empty());
        assert_eq!(uri_path(Path::new("/a?b#c%d")), "/a%3fb%23c%25d");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
