//! Disk use of one user's store (`rctl system df`, `system prune`, the
//! disk budget): what is there, what is in use, what could be reclaimed.
//!
//! [`summarize`] and [`lru_victims`] are pure; [`measure`] reads the store,
//! the container records and the directories (inside rctl's namespace, so
//! files owned by subordinate ids are readable).

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::container::{Status, lifecycle, store::Store as Containers};
use crate::store::Store;

/// One image as disk use sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageUse {
    pub id: String,
    pub names: Vec<String>,
    /// (diff_id, size) of its layers.
    #[serde(skip)]
    pub layers: Vec<(String, u64)>,
    pub size: u64,
    /// Bytes of layers no other image shares.
    pub unique_size: u64,
    pub containers: usize,
    /// Seconds since the epoch: added to the store.
    pub added: i64,
    /// Seconds since the epoch: last run, create or pull.
    pub last_used: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContainerUse {
    pub id: String,
    pub name: String,
    pub image: String,
    pub status: String,
    pub size: u64,
    /// Unix nanoseconds.
    pub created: u128,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolumeUse {
    pub name: String,
    pub links: usize,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CacheUse {
    /// Entries of `ROOT/build-cache`.
    pub entries: usize,
    /// Those entries' files plus the layers no image uses.
    pub size: u64,
}

/// Everything `system df` shows.
#[derive(Debug, Clone, Serialize)]
pub struct DiskUse {
    pub images: Vec<ImageUse>,
    pub containers: Vec<ContainerUse>,
    pub volumes: Vec<VolumeUse>,
    pub build_cache: CacheUse,
}

/// One row of the summary table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(rename = "Total")]
    pub total: usize,
    #[serde(rename = "Active")]
    pub active: usize,
    #[serde(rename = "RawSize")]
    pub size: u64,
    #[serde(rename = "RawReclaimable")]
    pub reclaimable: u64,
}

/// Unique sizes: layers shared by several images count once in the total;
/// an image's unique size is what only it uses.
pub fn unique_sizes(images: &mut [ImageUse]) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for i in images.iter() {
        for (d, _) in &i.layers {
            *count.entry(d.as_str()).or_default() += 1;
        }
    }
    let count: BTreeMap<String, usize> = count.into_iter().map(|(k, v)| (k.into(), v)).collect();
    for i in images.iter_mut() {
        i.unique_size = i
            .layers
            .iter()
            .filter(|(d, _)| count[d] == 1)
            .map(|(_, s)| s)
            .sum();
    }
}

impl DiskUse {
    /// Bytes of distinct image layers.
    pub fn images_size(&self) -> u64 {
        distinct(self.images.iter())
    }

    /// Everything counted against the budget.
    pub fn total(&self) -> u64 {
        self.images_size()
            + self.containers.iter().map(|c| c.size).sum::<u64>()
            + self.volumes.iter().map(|v| v.size).sum::<u64>()
            + self.build_cache.size
    }

    /// The four rows: images, containers, local volumes, build cache.
    pub fn summarize(&self) -> Vec<Row> {
        let used_layers = distinct(self.images.iter().filter(|i| i.containers > 0));
        let images_size = self.images_size();
        vec![
            Row {
                kind: "Images",
                total: self.images.len(),
                active: self.images.iter().filter(|i| i.containers > 0).count(),
                size: images_size,
                reclaimable: images_size - used_layers.min(images_size),
            },
            Row {
                kind: "Containers",
                total: self.containers.len(),
                active: self
                    .containers
                    .iter()
                    .filter(|c| c.status == "running")
                    .count(),
                size: self.containers.iter().map(|c| c.size).sum(),
                reclaimable: self
                    .containers
                    .iter()
                    .filter(|c| c.status != "running")
                    .map(|c| c.size)
                    .sum(),
            },
            Row {
                kind: "Local Volumes",
                total: self.volumes.len(),
                active: self.volumes.iter().filter(|v| v.links > 0).count(),
                size: self.volumes.iter().map(|v| v.size).sum(),
                reclaimable: self
                    .volumes
                    .iter()
                    .filter(|v| v.links == 0)
                    .map(|v| v.size)
                    .sum(),
            },
            Row {
                kind: "Build Cache",
                total: self.build_cache.entries,
                active: 0,
                size: self.build_cache.size,
                reclaimable: self.build_cache.size,
            },
        ]
    }
}

fn distinct<'a>(images: impl Iterator<Item = &'a ImageUse>) -> u64 {
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for i in images {
        for (d, s) in &i.layers {
            if seen.insert(d.clone()) {
                total += s;
            }
        }
    }
    total
}

/// The images to remove, least recently used first, until `usage` fits in
/// `budget`: only images no container uses. Each removal frees the layers
/// no remaining image shares.
pub fn lru_victims(images: &[ImageUse], usage: u64, budget: u64) -> Vec<String> {
    if usage <= budget {
        return Vec::new();
    }
    let mut candidates: Vec<&ImageUse> = images.iter().filter(|i| i.containers == 0).collect();
    candidates.sort_by_key(|i| (i.last_used, i.added));
    let mut remaining: Vec<&ImageUse> = images.iter().collect();
    let mut usage = usage;
    let mut out = Vec::new();
    for c in candidates {
        if usage <= budget {
            break;
        }
        let before = distinct(remaining.iter().copied());
        remaining.retain(|i| i.id != c.id);
        let after = distinct(remaining.iter().copied());
        usage = usage.saturating_sub(before - after);
        out.push(c.id.clone());
    }
    out
}

/// Parse a size such as `10G`, `512M`, `1.5GiB`, `1000000` (bytes).
/// K/M/G/T are powers of 1024 (as Podman's and Docker's sizes).
pub fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| bad_size(text))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return Err(bad_size(text)),
    };
    if !value.is_finite() || value < 0.0 {
        return Err(bad_size(text));
    }
    Ok((value * mult as f64) as u64)
}

fn bad_size(text: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "invalid size `{text}`\nhint: give a number with an optional unit: 500M, 10G, 1.5T"
    )
}

/// Bytes of the regular files under `dir`, not following symlinks and not
/// crossing into other filesystems (a mounted container root).
pub fn dir_size(dir: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return 0;
    };
    let dev = meta.dev();
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                if m.dev() == dev {
                    stack.push(e.path());
                }
            } else if m.is_file() {
                total += m.len();
            }
        }
    }
    total
}

/// Measure the store at `root` (inside rctl's namespace).
pub fn measure(root: &Path) -> Result<DiskUse> {
    let store = Store::open_at(root)?;
    let sizes = store.layer_sizes()?;
    let last_used = store.last_used()?;
    let mut images = Vec::new();
    for img in store.images()? {
        let layers = img
            .layers
            .iter()
            .map(|l| {
                (
                    l.diff_id.clone(),
                    sizes.get(&l.diff_id).copied().unwrap_or(l.size),
                )
            })
            .collect::<Vec<_>>();
        images.push(ImageUse {
            size: layers.iter().map(|(_, s)| s).sum(),
            containers: store.users(&img.id)?.len(),
            last_used: last_used.get(&img.id).copied().unwrap_or(img.added),
            id: img.id,
            names: img.names,
            layers,
            unique_size: 0,
            added: img.added,
        });
    }
    unique_sizes(&mut images);
    let containers_store = Containers::new(root);
    let mut containers = Vec::new();
    let records = containers_store.list()?;
    for c in records.iter().cloned() {
        let c = lifecycle::refresh(&containers_store, &c).unwrap_or(c);
        let dir = containers_store.dir_of(&c.id);
        containers.push(ContainerUse {
            size: dir_size(&dir),
            status: c.state.status.name().to_string(),
            image: c.config.image_name.clone(),
            id: c.id,
            name: c.name,
            created: c.created,
        });
    }
    let vols = crate::volume::VolumeStore::new(root);
    let mut volumes: Vec<VolumeUse> = vols
        .list()?
        .into_iter()
        .map(|v| VolumeUse {
            links: crate::volume::users_of(&records, &v.name).len(),
            size: dir_size(&vols.dir_of(&v.name)),
            name: v.name,
        })
        .collect();
    volumes.sort_by(|a, b| a.name.cmp(&b.name));
    let mut entries = 0;
    let mut cache_size = 0;
    if let Ok(list) = std::fs::read_dir(root.join("build-cache")) {
        for e in list.flatten() {
            entries += 1;
            cache_size += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    for d in store.orphan_layers()? {
        cache_size += sizes.get(&d).copied().unwrap_or(0);
    }
    Ok(DiskUse {
        images,
        containers,
        volumes,
        build_cache: CacheUse {
            entries,
            size: cache_size,
        },
    })
}

/// Whether `c` is a stopped container (prune candidate).
pub fn stopped(status: Status) -> bool {
    status != Status::Running
}

/// Refuse to delete a directory that does not look like what rctl made.
pub fn check_removable(dir: &Path, markers: &[&str], what: &str) -> Result<()> {
    let forbidden = ["/", "/home", "/root", "/tmp", "/var", "/usr", "/etc"];
    if forbidden.iter().any(|f| Path::new(f) == dir) || !dir.is_absolute() {
        bail!("refusing to delete {what} `{}`", dir.display());
    }
    let empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    if !empty && !markers.iter().any(|m| dir.join(m).exists()) {
        bail!(
            "refusing to delete {what} `{}`: it does not look like rctl's (none of {} in it)\nhint: check --root/--runroot and the config file",
            dir.display(),
            markers.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, layers: &[(&str, u64)], containers: usize, last_used: i64) -> ImageUse {
        ImageUse {
            id: id.into(),
            names: vec![],
            layers: layers.iter().map(|(d, s)| (d.to_string(), *s)).collect(),
            size: layers.iter().map(|(_, s)| s).sum(),
            unique_size: 0,
            containers,
            added: 0,
            last_used,
        }
    }

    fn usage(images: Vec<ImageUse>) -> DiskUse {
        DiskUse {
            images,
            containers: vec![ContainerUse {
                id: "c".into(),
                name: "c".into(),
                image: "i".into(),
                status: "exited".into(),
                size: 7,
                created: 0,
            }],
            volumes: vec![],
            build_cache: CacheUse {
                entries: 1,
                size: 3,
            },
        }
    }

    #[test]
    fn shared_layers_count_once_and_used_images_are_not_reclaimable() {
        let mut images = vec![
            img("a", &[("base", 100), ("a1", 10)], 1, 0),
            img("b", &[("base", 100), ("b1", 20)], 0, 0),
        ];
        unique_sizes(&mut images);
        assert_eq!((images[0].unique_size, images[1].unique_size), (10, 20));
        let du = usage(images);
        let rows = du.summarize();
        assert_eq!(rows[0].size, 130);
        assert_eq!(rows[0].reclaimable, 20);
        assert_eq!((rows[0].total, rows[0].active), (2, 1));
        assert_eq!((rows[1].size, rows[1].reclaimable), (7, 7));
        assert_eq!(rows[3].reclaimable, 3);
        assert_eq!(du.total(), 140);
    }

    #[test]
    fn lru_removes_oldest_unused_until_it_fits() {
        let images = vec![
            img("old", &[("base", 100), ("o", 50)], 0, 10),
            img("used", &[("base", 100), ("u", 50)], 1, 1),
            img("mid", &[("m", 60)], 0, 20),
            img("new", &[("n", 70)], 0, 30),
        ];
        let total = 100 + 50 + 50 + 60 + 70;
        assert!(lru_victims(&images, total, total).is_empty());
        // Removing `old` frees only its own 50 bytes (base is shared).
        assert_eq!(lru_victims(&images, total, total - 50), ["old"]);
        assert_eq!(lru_victims(&images, total, total - 51), ["old", "mid"]);
        // The image a container uses is never a victim.
        assert_eq!(lru_victims(&images, total, 0), ["old", "mid", "new"]);
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10G").unwrap(), 10 << 30);
        assert_eq!(parse_size("512M").unwrap(), 512 << 20);
        assert_eq!(parse_size("1.5GiB").unwrap(), 3 << 29);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        for bad in ["", "G", "10X", "-1G", "ten"] {
            let e = parse_size(bad).unwrap_err().to_string();
            assert!(e.contains("hint:"), "{bad}: {e}");
        }
    }

    #[test]
    fn removal_guard() {
        assert!(check_removable(Path::new("/"), &["images.db"], "storage root").is_err());
        assert!(check_removable(Path::new("rel"), &["images.db"], "storage root").is_err());
        let dir = std::env::temp_dir().join(format!("rctl-guard-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(check_removable(&dir, &["images.db"], "storage root").is_ok());
        std::fs::write(dir.join("x"), b"").unwrap();
        let e = check_removable(&dir, &["images.db"], "storage root").unwrap_err();
        assert!(e.to_string().contains("does not look like"), "{e}");
        std::fs::write(dir.join("images.db"), b"").unwrap();
        assert!(check_removable(&dir, &["images.db"], "storage root").is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
