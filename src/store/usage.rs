//! What the disk-use commands need from the store: layer sizes, which
//! layers images reference, removal of layers no image references (build
//! cache leftovers), and when each image was last used (for the disk
//! budget's least-recently-used order). `last_used` lives in its own table,
//! created here, so the image schema is unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use anyhow::Result;
use rusqlite::params;

use super::{PENDING_SEQ, Store, db, now};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS image_last_used (
    image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    at INTEGER NOT NULL
);
";

impl Store {
    /// Every layer's size, by diff_id.
    pub fn layer_sizes(&self) -> Result<BTreeMap<String, u64>> {
        let mut st = self.conn.prepare("SELECT diff_id, size FROM layers")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = BTreeMap::new();
        for r in rows {
            let (d, s) = r?;
            out.insert(d, s.max(0) as u64);
        }
        Ok(out)
    }

    /// The diff_ids of layers that no image uses.
    pub fn orphan_layers(&self) -> Result<BTreeSet<String>> {
        Ok(db::unreferenced_layers(&self.conn)?
            .into_iter()
            .map(|(d, _)| d)
            .collect())
    }

    /// Remove the layers no image uses (kept by the build cache, or left by
    /// an interrupted operation); returns their total size.
    pub fn remove_orphan_layers(&mut self) -> Result<u64> {
        let root = self.root.clone();
        let (doomed, size) = db::write(&mut self.conn, |tx| {
            let mut doomed = Vec::new();
            let mut size = 0u64;
            for (diff_id, link) in db::unreferenced_layers(tx)? {
                size += tx
                    .query_row(
                        "SELECT size FROM layers WHERE diff_id = ?1",
                        [&diff_id],
                        |r| r.get::<_, i64>(0),
                    )
                    .unwrap_or(0)
                    .max(0) as u64;
                tx.execute("DELETE FROM layers WHERE diff_id = ?1", [&diff_id])?;
                let hex = diff_id.strip_prefix("sha256:").unwrap_or(&diff_id);
                let home = root.join("layers").join(hex);
                let trash = root.join("layers").join(format!(
                    ".rm-{}-{}-{}",
                    &hex[..hex.len().min(16)],
                    std::process::id(),
                    PENDING_SEQ.fetch_add(1, Ordering::Relaxed)
                ));
                if home.exists() {
                    fs_err::rename(&home, &trash)?;
                    doomed.push(trash);
                }
                let _ = std::fs::remove_file(root.join("l").join(link));
            }
            Ok((doomed, size))
        })?;
        for d in doomed {
            if let Err(e) = std::fs::remove_dir_all(&d) {
                log::warn!("remove `{}`: {e}", d.display());
            }
        }
        Ok(size)
    }

    /// Record that image `id` was just used (run, create, pulled again).
    pub fn touch(&mut self, id: &str) -> Result<()> {
        self.conn.execute_batch(SCHEMA)?;
        db::write(&mut self.conn, |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO image_last_used (image_id, at) VALUES (?1, ?2)",
                params![id, now()],
            )?;
            Ok(())
        })
    }

    /// When each image was last used: its last `touch`, else when it was added.
    pub fn last_used(&self) -> Result<BTreeMap<String, i64>> {
        self.conn.execute_batch(SCHEMA)?;
        let mut st = self.conn.prepare(
            "SELECT i.id, MAX(i.added, COALESCE(u.at, 0)) FROM images i
             LEFT JOIN image_last_used u ON u.image_id = i.id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewImage;

    #[test]
    fn last_used_falls_back_to_added_and_follows_touch() {
        let dir = std::env::temp_dir().join(format!("rctl-usage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut store = Store::open_at(&dir).unwrap();
        let id = store
            .commit_image(&NewImage {
                manifest: b"{}".to_vec(),
                config: br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec(),
                diff_ids: Vec::new(),
                names: vec!["localhost/u:1".into()],
            })
            .unwrap()
            .unwrap();
        let added = store.last_used().unwrap()[&id];
        assert!(added > 0);
        store
            .conn
            .execute("UPDATE images SET added = 5 WHERE id = ?1", [&id])
            .unwrap();
        assert_eq!(store.last_used().unwrap()[&id], 5);
        store.touch(&id).unwrap();
        assert!(store.last_used().unwrap()[&id] >= added);
        assert!(store.orphan_layers().unwrap().is_empty());
        assert_eq!(store.remove_orphan_layers().unwrap(), 0);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
