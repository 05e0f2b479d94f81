//! Creating rctl's on-disk directories privately, and writing files so that
//! a reader sees the old content or the new, never half of either.

use fs_err::os::unix::fs::OpenOptionsExt;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Create `dir` (and missing parents) with mode 0700 for the created
/// components, then check that `dir` itself is a real directory owned by
/// the caller (as its current namespace sees it) and not open to others. Guards the `/tmp` fallback against another
/// user who created the directory first.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let uid = nix::unistd::geteuid().as_raw();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("create directory `{}`", dir.display()))?;
    let meta = fs_err::symlink_metadata(dir)?;
    if !meta.is_dir() {
        bail!(
            "`{}` is not a directory\nhint: remove it and try again",
            dir.display()
        );
    }
    if meta.uid() != uid {
        bail!(
            "`{}` belongs to uid {}, not to you (uid {uid})\nhint: remove it, or point rctl elsewhere with --root/--runroot",
            dir.display(),
            meta.uid()
        );
    }
    if meta.mode() & 0o077 != 0 {
        fs_err::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Remove the directory tree `path`; false when there was none.
pub fn remove_tree(path: &Path) -> std::io::Result<bool> {
    match fs_err::remove_dir_all(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Write `data` to `path` through a temporary file in the same directory,
/// fsynced and renamed into place.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    write_replace(path, data, true)
}

/// Like [`write_atomic`] without the fsync: for files that are rebuilt
/// whenever they are needed (a reader still never sees half a file).
pub fn write_replace_unsynced(path: &Path, data: &[u8]) -> Result<()> {
    write_replace(path, data, false)
}

fn write_replace(path: &Path, data: &[u8], sync: bool) -> Result<()> {
    let dir = path
        .parent()
        .context("atomic write needs a parent directory")?;
    let name = path.file_name().context("atomic write needs a file name")?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> Result<()> {
        let mut f = fs_err::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(data)?;
        if sync {
            f.sync_all()?;
        }
        fs_err::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content() {
        let dir = std::env::temp_dir().join(format!("rctl-ondisk-{}", std::process::id()));
        create_private_dir(&dir).unwrap();
        let f = dir.join("x");
        write_atomic(&f, b"one").unwrap();
        write_atomic(&f, b"two").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let f = std::env::temp_dir().join(format!("rctl-ondisk-file-{}", std::process::id()));
        std::fs::write(&f, "").unwrap();
        assert!(create_private_dir(&f).is_err());
        std::fs::remove_file(&f).unwrap();
    }
}
