//! `RUN --mount`: for `type=cache`, a directory kept under
//! `ROOT/build-cache/mounts/<sha256 of the id>` that a RUN step sees at its
//! target and that never becomes part of a layer. rctl's containers have
//! no user bind mounts yet, so the directory is *lent*: renamed into the
//! step container's upper directory at the target before the run (overlay
//! shows it there, merged over what the image has at that path) and
//! renamed back before the upper directory is turned into a layer, with
//! the parent directories made for it removed again. Renames stay on one
//! filesystem (both live under the storage root), so nothing is copied.
//! Two builds using the same cache at once each get a directory; the
//! first one back keeps its contents (BuildKit's `sharing=private`).
//! `type=tmpfs` and `type=bind` (from the context) place a scratch
//! directory the same way (empty, or a copy of the context path) and
//! remove it after the run: writes are discarded, as with a bind mount's
//! `rw` option; the directory is not read-only.

use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// A cache directory placed in a step container's upper directory.
#[must_use = "give the directory back before the upper dir becomes a layer"]
pub struct Lent {
    home: PathBuf,
    placed: PathBuf,
    /// Parent directories created in the upper dir, outermost first.
    made: Vec<PathBuf>,
    discard: bool,
}

fn home_of(root: &Path, id: &str) -> PathBuf {
    let hex = hex::encode(Sha256::digest(id.as_bytes()));
    root.join("build-cache").join("mounts").join(hex)
}

/// Move the cache `id` to `target` (an absolute path in the container)
/// inside `upper`.
pub fn lend(
    root: &Path,
    id: &str,
    upper: &Path,
    target: &str,
    mode: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
) -> Result<Lent> {
    let rel = target_rel(target)?;
    let home = home_of(root, id);
    crate::ondisk::create_private_dir(home.parent().context("cache home")?)?;
    if !home.is_dir() {
        fs_err::create_dir(&home)?;
        fs_err::set_permissions(
            &home,
            std::fs::Permissions::from_mode(mode.unwrap_or(0o755)),
        )?;
        if uid.is_some() || gid.is_some() {
            std::os::unix::fs::chown(&home, uid, gid)
                .with_context(|| format!("set the owner of cache `{id}`"))?;
        }
    }
    place(home, upper, &rel, false).with_context(|| format!("lend cache `{id}` to the RUN step"))
}

/// The part of `target` below `/`, refusing `..` and `/` itself.
pub fn target_rel(target: &str) -> Result<PathBuf> {
    let rel: PathBuf = Path::new(target)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(Ok(n)),
            Component::ParentDir => Some(Err(())),
            _ => None,
        })
        .collect::<Result<_, ()>>()
        .map_err(|_| anyhow::anyhow!("RUN --mount target `{target}` must not contain `..`"))?;
    if rel.as_os_str().is_empty() {
        anyhow::bail!("RUN --mount cannot be mounted at `/`");
    }
    Ok(rel)
}

/// Move the directory `home` to `rel` inside `upper`. With `discard` it
/// is removed afterwards instead of moved back (tmpfs and bind mounts,
/// whose `home` is a scratch directory).
pub fn place(home: PathBuf, upper: &Path, rel: &Path, discard: bool) -> Result<Lent> {
    let mut made = Vec::new();
    let mut cur = upper.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            cur.push(c);
            if std::fs::symlink_metadata(&cur).is_err() {
                fs_err::create_dir(&cur)?;
                made.push(cur.clone());
            }
        }
    }
    let placed = upper.join(rel);
    fs_err::rename(&home, &placed)?;
    Ok(Lent {
        home,
        placed,
        made,
        discard,
    })
}

impl Lent {
    /// Move the directory back (keeping what another build returned
    /// first), or remove it when discarded, and remove the parents made
    /// for it.
    pub fn give_back(self) -> Result<()> {
        let is_dir = std::fs::symlink_metadata(&self.placed).is_ok_and(|m| m.is_dir());
        if is_dir && self.discard {
            fs_err::remove_dir_all(&self.placed)?;
        } else if is_dir {
            if std::fs::rename(&self.placed, &self.home).is_err() {
                fs_err::remove_dir_all(&self.placed)?;
            }
        } else if std::fs::symlink_metadata(&self.placed).is_ok() {
            // The RUN replaced the directory with something else.
            let _ = std::fs::remove_file(&self.placed);
        }
        for d in self.made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lent_and_given_back_leaves_the_upper_dir_clean() {
        let base = std::env::temp_dir().join(format!("rctl-cachemount-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let upper = base.join("upper");
        std::fs::create_dir_all(&upper).unwrap();
        let lent = lend(&base, "c1", &upper, "/var/cache/x", None, None, None).unwrap();
        std::fs::write(upper.join("var/cache/x/kept"), "1").unwrap();
        lent.give_back().unwrap();
        assert_eq!(std::fs::read_dir(&upper).unwrap().count(), 0);
        let again = lend(&base, "c1", &upper, "/elsewhere", None, None, None).unwrap();
        assert_eq!(
            std::fs::read_to_string(upper.join("elsewhere/kept")).unwrap(),
            "1"
        );
        again.give_back().unwrap();
        assert!(lend(&base, "c1", &upper, "/a/../../b", None, None, None).is_err());
        let _ = std::fs::remove_dir_all(&base);
    }
}
