//! The build cache index: one small JSON file per step cache key under
//! `ROOT/build-cache/`, naming the layer the step made (if any) and when.
//! Written atomically (temporary name + rename), so an interrupted build
//! leaves either a whole entry or none; an entry whose layer was removed
//! since (`rmi`, prune) is a miss.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

/// What a cached step produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The layer's diff_id; `None` for a step that changed only the config
    /// (or left the filesystem as it was).
    pub diff_id: Option<String>,
    /// RFC 3339 time the step first ran (kept so a cached rebuild gives
    /// the same image ID).
    pub created: String,
}

pub struct Index {
    dir: PathBuf,
}

impl Index {
    pub fn open(root: &Path) -> Result<Index> {
        let dir = root.join("build-cache");
        crate::ondisk::create_private_dir(&dir)?;
        Ok(Index { dir })
    }

    fn path(&self, key: &str) -> PathBuf {
        let hex = key.strip_prefix("sha256:").unwrap_or(key);
        self.dir.join(format!("{hex}.json"))
    }

    /// The entry for `key`, if any (a damaged entry is a miss).
    pub fn get(&self, key: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn put(&self, key: &str, entry: &Entry) -> Result<()> {
        crate::ondisk::write_atomic(&self.path(key), &serde_json::to_vec(entry)?)
    }
}

/// Remove the cache entries under `root` whose file time (seconds since
/// the epoch) `remove` accepts; how many were removed. Cache mounts
/// (`build-cache/mounts/`) are not entries and stay.
pub fn prune(root: &Path, remove: impl Fn(i64) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(root.join("build-cache")) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().ends_with(".json") {
            continue;
        }
        let mtime = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        if remove(mtime) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_a_miss() {
        let dir = std::env::temp_dir().join(format!("rctl-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let idx = Index::open(&dir).unwrap();
        let e = Entry {
            diff_id: Some("sha256:ab".into()),
            created: "2026-01-01T00:00:00Z".into(),
        };
        assert_eq!(idx.get("sha256:01"), None);
        idx.put("sha256:01", &e).unwrap();
        assert_eq!(idx.get("sha256:01"), Some(e));
        std::fs::write(idx.path("sha256:02"), b"{not json").unwrap();
        assert_eq!(idx.get("sha256:02"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
