//! Every user's store is private: before anything else, refuse a storage
//! root or runroot (from `--root`, `--runroot` or the config) that belongs
//! to another user or cannot be reached, with a message that says so,
//! instead of failing later on some file inside it.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use anyhow::{Result, bail};

use crate::config::Dirs;

/// The login name of `uid`, for messages.
fn user_name(uid: u32) -> String {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map_or_else(
            || format!("uid {uid}"),
            |u| format!("`{}` (uid {uid})", u.name),
        )
}

/// What is wrong with `dir` as a directory of `uid`, if anything (pure
/// given the metadata result).
pub fn problem(
    what: &str,
    dir: &Path,
    meta: std::io::Result<(u32, bool)>,
    uid: u32,
    owner_name: impl FnOnce(u32) -> String,
) -> Option<String> {
    match meta {
        Ok((owner, _)) if owner != uid => Some(format!(
            "{what} `{}` belongs to {}, not to you: every user's containers and images are private\nhint: drop --root/--runroot (or storage.root/runroot in rctl.toml) to use your own",
            dir.display(),
            owner_name(owner)
        )),
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Some(format!(
            "{what} `{}` cannot be reached: permission denied (it is inside another user's private directory)\nhint: every user's containers and images are private; drop --root/--runroot to use your own",
            dir.display()
        )),
        Err(_) => None,
    }
}

/// Check the storage root and runroot of this invocation. Real root (and
/// rctl's own processes inside the user namespace, uid 0 there) may use
/// any directory.
pub fn check(dirs: &Dirs, uid: u32) -> Result<()> {
    if uid == 0 {
        return Ok(());
    }
    for (what, dir) in [("storage root", &dirs.root), ("runroot", &dirs.runroot)] {
        let meta = std::fs::symlink_metadata(dir).map(|m| (m.uid(), m.is_dir()));
        if let Some(msg) = problem(what, dir, meta, uid, user_name) {
            bail!("{msg}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_users_or_unreachable_dirs_are_refused() {
        let d = Path::new("/home/a/.local/share/rctl");
        let name = |u: u32| format!("uid {u}");
        assert!(problem("storage root", d, Ok((1000, true)), 1000, name).is_none());
        let m = problem("storage root", d, Ok((1001, true)), 1000, name).unwrap();
        assert!(
            m.contains("belongs to uid 1001") && m.contains("hint:"),
            "{m}"
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let m = problem("runroot", d, Err(denied), 1000, name).unwrap();
        assert!(
            m.contains("runroot") && m.contains("permission denied"),
            "{m}"
        );
        let absent = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(problem("runroot", d, Err(absent), 1000, name).is_none());
    }
}
