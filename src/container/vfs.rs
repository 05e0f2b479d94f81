//! The `vfs` storage driver: a container's root filesystem as a plain copy
//! of its image's layers, lowest first, with overlay whiteouts (0/0
//! character devices) deleting what lower layers had and opaque
//! directories (`user.overlay.opaque`) hiding it. Slow and disk-hungry;
//! the last resort when neither kernel overlay nor fuse-overlayfs works.
//! Symlinks are copied as links and never followed.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use anyhow::{Context, Result};

/// Build `dest` from `lower` (lowest first) unless an earlier start already
/// did (the copy is the container's own root and keeps its writes).
pub fn materialize(lower: &[std::path::PathBuf], dest: &Path) -> Result<()> {
    let done = dest.with_extension("complete");
    if done.exists() {
        return Ok(());
    }
    // A copy interrupted half-way is thrown away, never used.
    if dest.exists() {
        fs_err::remove_dir_all(dest)?;
    }
    fs_err::create_dir_all(dest)?;
    fs_err::set_permissions(dest, std::fs::Permissions::from_mode(0o755))?;
    for layer in lower {
        apply_layer(layer, dest).with_context(|| format!("copy layer `{}`", layer.display()))?;
    }
    fs_err::write(&done, "")?;
    Ok(())
}

fn remove_any(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs_err::remove_dir_all(path)?,
        Ok(_) => fs_err::remove_file(path)?,
        Err(_) => {}
    }
    Ok(())
}

fn copy_attrs(meta: &std::fs::Metadata, dst: &Path) -> Result<()> {
    std::os::unix::fs::lchown(dst, Some(meta.uid()), Some(meta.gid()))
        .with_context(|| format!("chown `{}`", dst.display()))?;
    if !meta.file_type().is_symlink() {
        // After chown, which clears setuid bits.
        fs_err::set_permissions(dst, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    }
    Ok(())
}

fn apply_layer(src: &Path, dst: &Path) -> Result<()> {
    for entry in fs_err::read_dir(src)? {
        let entry = entry?;
        let (s, d) = (entry.path(), dst.join(entry.file_name()));
        let meta = fs_err::symlink_metadata(&s)?;
        let kind = meta.file_type();
        if kind.is_char_device() && meta.rdev() == 0 {
            remove_any(&d)?;
        } else if kind.is_dir() {
            let existing = std::fs::symlink_metadata(&d).ok();
            if !existing.as_ref().is_some_and(|m| m.is_dir()) {
                remove_any(&d)?;
                fs_err::create_dir(&d)?;
            } else if crate::sys::has_xattr(&s, "user.overlay.opaque") {
                fs_err::remove_dir_all(&d)?;
                fs_err::create_dir(&d)?;
            }
            apply_layer(&s, &d)?;
            copy_attrs(&meta, &d)?;
        } else if kind.is_symlink() {
            remove_any(&d)?;
            std::os::unix::fs::symlink(fs_err::read_link(&s)?, &d)
                .with_context(|| format!("link `{}`", d.display()))?;
            copy_attrs(&meta, &d)?;
        } else if kind.is_file() {
            remove_any(&d)?;
            fs_err::copy(&s, &d)?;
            copy_attrs(&meta, &d)?;
        } else {
            log::warn!("vfs: skipping special file `{}`", s.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_replace_and_delete() {
        let base = std::env::temp_dir().join(format!("rctl-vfs-{}", std::process::id()));
        let (l1, l2, out) = (base.join("l1"), base.join("l2"), base.join("out"));
        std::fs::create_dir_all(l1.join("d")).unwrap();
        std::fs::write(l1.join("d/a"), "1").unwrap();
        std::fs::write(l1.join("f"), "old").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", l1.join("link")).unwrap();
        std::fs::create_dir_all(&l2).unwrap();
        std::fs::write(l2.join("f"), "new").unwrap();
        // A symlink replaced by a directory must not be followed.
        std::fs::create_dir_all(l2.join("link")).unwrap();
        std::fs::write(l2.join("link/x"), "x").unwrap();
        materialize(&[l1, l2], &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("d/a")).unwrap(), "1");
        assert!(out.join("link").is_dir() && !out.join("link").is_symlink());
        assert!(out.with_extension("complete").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
