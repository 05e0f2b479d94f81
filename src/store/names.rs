//! Names, users and removal: tagging, untagging, recording which
//! containers use an image, and removing images with the layers no other
//! image needs.

use std::sync::atomic::Ordering;

use anyhow::{Result, bail};
use rusqlite::params;

use crate::crashpoint::crashpoint;

use super::{Input, PENDING_SEQ, Reference, Removal, Store, db};

impl Store {
    /// Give the image `id` the name `name` (moving it from another image).
    pub fn tag(&mut self, id: &str, name: &Reference) -> Result<()> {
        let store_name = name.store_name();
        crate::events::image("tag", id, &store_name);
        db::write(&mut self.conn, |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO names (name, image_id) VALUES (?1, ?2)",
                params![store_name, id],
            )?;
            Ok(())
        })
    }

    /// Remove the name `name` from image `id`; false when it had no such name.
    pub fn untag(&mut self, id: &str, name: &str) -> Result<bool> {
        db::write(&mut self.conn, |tx| {
            Ok(tx.execute(
                "DELETE FROM names WHERE name = ?1 AND image_id = ?2",
                params![name, id],
            )? == 1)
        })
        .inspect(|done| {
            done.then(|| crate::events::image("untag", id, name))
                .unwrap_or(())
        })
    }

    /// Record that `container` uses image `id` (so `rmi` refuses to remove it).
    pub fn add_user(&mut self, id: &str, container: &str) -> Result<()> {
        db::write(&mut self.conn, |tx| {
            tx.execute(
                "INSERT OR IGNORE INTO image_users (image_id, container) VALUES (?1, ?2)",
                params![id, container],
            )?;
            Ok(())
        })
    }

    /// Forget that `container` uses image `id`.
    pub fn remove_user(&mut self, id: &str, container: &str) -> Result<()> {
        db::write(&mut self.conn, |tx| {
            tx.execute(
                "DELETE FROM image_users WHERE image_id = ?1 AND container = ?2",
                params![id, container],
            )?;
            Ok(())
        })
    }

    /// Containers recorded as using image `id`.
    pub fn users(&self, id: &str) -> Result<Vec<String>> {
        db::users_of(&self.conn, id)
    }

    /// Remove what `text` names: when it is a name of an image with other
    /// names, only that name; otherwise the image and the layers no other
    /// image uses. Refuses an image a container uses unless `force`.
    pub fn remove(&mut self, text: &str, search: &[String], force: bool) -> Result<Removal> {
        let id = self.resolve_id(text, search)?;
        let names = db::names_of(&self.conn, &id)?;
        let by_name = Input::parse(text)
            .ok()
            .into_iter()
            .flat_map(|i| i.local_candidates(search))
            .map(|r| r.store_name())
            .find(|n| names.contains(n));
        if let Some(name) = by_name.clone().filter(|_| names.len() > 1) {
            self.untag(&id, &name)?;
            return Ok(Removal::Untagged(name));
        }
        if by_name.is_none() && names.len() > 1 && !force {
            bail!(
                "image `{text}` has several names ({})\nhint: remove the names one by one, or use `rctl rmi -f` to remove the image",
                names.join(", ")
            );
        }
        let users = self.users(&id)?;
        if !users.is_empty() && !force {
            bail!(
                "image `{text}` is used by container(s) {}\nhint: remove the containers first, or use `rctl rmi -f`",
                users.join(", ")
            );
        }
        let root = self.root.clone();
        let (doomed, links) = db::write(&mut self.conn, |tx| {
            tx.execute("DELETE FROM images WHERE id = ?1", [&id])?;
            db::delete_unreferenced_blobs(tx)?;
            let mut doomed = Vec::new();
            let mut links = Vec::new();
            for (diff_id, link) in db::unreferenced_layers(tx)? {
                tx.execute("DELETE FROM layers WHERE diff_id = ?1", [&diff_id])?;
                let hex = diff_id.strip_prefix("sha256:").unwrap_or(&diff_id);
                let home = root.join("layers").join(hex);
                // The full hex, so that a crash before the commit (which
                // rolls the rows back) can be undone: see `clean_leftovers`.
                let trash = root.join("layers").join(format!(
                    ".rm-{}-{}-{}",
                    hex,
                    std::process::id(),
                    PENDING_SEQ.fetch_add(1, Ordering::Relaxed)
                ));
                // Moved aside while the write lock is held, so a concurrent
                // pull never records a layer whose directory is going away.
                if home.exists() {
                    fs_err::rename(&home, &trash)?;
                    doomed.push(trash);
                }
                // Links go after the commit: a rolled-back removal keeps them.
                links.push(root.join("l").join(link));
            }
            if !doomed.is_empty() {
                crashpoint("rmi.tx-moved");
            }
            Ok((doomed, links))
        })?;
        crashpoint("rmi.committed");
        for l in links {
            let _ = std::fs::remove_file(l);
        }
        for d in doomed {
            if let Err(e) = std::fs::remove_dir_all(&d) {
                log::warn!("remove `{}`: {e}", d.display());
            }
        }
        crate::events::image("remove", &id, text);
        Ok(Removal::Deleted(id))
    }

    /// IDs of images without names (dangling), or of all images without
    /// users when `all`.
    pub fn prunable(&self, all: bool) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for row in db::all_images(&self.conn)? {
            let unnamed = db::names_of(&self.conn, &row.id)?.is_empty();
            if (all || unnamed) && db::users_of(&self.conn, &row.id)?.is_empty() {
                out.push(row.id);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewImage;

    fn temp_store(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("rctl-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (Store::open_at(&dir).unwrap(), dir)
    }

    fn empty_image(store: &mut Store, cmd: &str, names: &[&str]) -> String {
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Cmd":["{cmd}"]}},"rootfs":{{"type":"layers","diff_ids":[]}}}}"#
        );
        store
            .commit_image(&NewImage {
                manifest: b"{}".to_vec(),
                config: config.into_bytes(),
                diff_ids: Vec::new(),
                names: names.iter().map(|n| n.to_string()).collect(),
            })
            .unwrap()
            .unwrap()
    }

    #[test]
    fn users_block_removal_until_forced() {
        let (mut store, dir) = temp_store("users");
        let id = empty_image(&mut store, "/a", &["localhost/a:latest"]);
        store.add_user(&id, "c1").unwrap();
        assert_eq!(store.users(&id).unwrap(), ["c1"]);
        let err = store.remove("a", &[], false).unwrap_err().to_string();
        assert!(err.contains("c1"), "{err}");
        store.remove_user(&id, "c1").unwrap();
        assert!(matches!(
            store.remove("a", &[], false).unwrap(),
            Removal::Deleted(_)
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn resolution_by_name_prefix_and_search_registry() {
        let (mut store, dir) = temp_store("resolve");
        let id = empty_image(&mut store, "/b", &["reg.example/team/b:1"]);
        let image = store.resolve(&id[..6], &[]).unwrap();
        assert_eq!(image.id, id);
        assert_eq!(image.names, ["reg.example/team/b:1"]);
        assert!(image.layer_dirs().is_empty());
        let search = vec!["reg.example".to_string()];
        assert_eq!(store.resolve("team/b:1", &search).unwrap().id, id);
        assert!(store.resolve("team/b:1", &[]).is_err());
        let r = match Input::parse("localhost/c:2").unwrap() {
            Input::Qualified(r) => r,
            _ => unreachable!(),
        };
        store.tag(&id, &r).unwrap();
        assert_eq!(store.resolve("c:2", &[]).unwrap().id, id);
        // Moving a name leaves the old image dangling.
        let other = empty_image(&mut store, "/other", &["localhost/c:2"]);
        assert_eq!(store.resolve("c:2", &[]).unwrap().id, other);
        assert_eq!(store.prunable(false).unwrap(), Vec::<String>::new());
        store.untag(&id, "reg.example/team/b:1").unwrap();
        assert_eq!(store.prunable(false).unwrap(), [id]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
