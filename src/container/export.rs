//! `export`: a container's root filesystem (without rctl's mounts) as a
//! tar stream. Layers are viewed through a read-only overlay of the
//! container's upper directory over its image layers, mounted for the
//! duration in rctl's own mount namespace.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::mount::{MntFlags, MsFlags};

use super::Container;
use super::store::Store;
use crate::runtime::RootfsSource;

/// Unmounts on drop.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = nix::mount::umount2(&self.0, MntFlags::MNT_DETACH);
    }
}

/// Read-only overlay data: the container's upper dir over the layers.
pub fn readonly_overlay_data(upper: &Path, lower: &[PathBuf]) -> String {
    let mut dirs = vec![upper.to_string_lossy().replace(':', "\\:")];
    dirs.extend(
        lower
            .iter()
            .rev()
            .map(|p| p.to_string_lossy().replace(':', "\\:")),
    );
    format!("lowerdir={},userxattr", dirs.join(":"))
}

/// Write the container's filesystem as tar to `out`.
pub fn export(store: &Store, c: &Container, out: &mut dyn Write) -> Result<()> {
    let dir = store.dir_of(&c.id);
    let (root, _mounted) = match &c.config.rootfs {
        RootfsSource::Dir(d) => (d.clone(), None),
        RootfsSource::Layers { lower } => {
            let view = dir.join("export");
            crate::ondisk::create_private_dir(&view)?;
            let data = readonly_overlay_data(&dir.join("upper"), lower);
            nix::mount::mount(
                Some("overlay"),
                &view,
                Some("overlay"),
                MsFlags::MS_RDONLY,
                Some(data.as_str()),
            )
            .with_context(|| {
                format!(
                    "mount a read-only view of `{}` on `{}`",
                    c.name,
                    view.display()
                )
            })?;
            (view.clone(), Some(Mounted(view)))
        }
    };
    let mut tar = tar::Builder::new(out);
    tar.follow_symlinks(false);
    tar.append_dir_all(".", &root)
        .with_context(|| format!("write `{}` as tar", root.display()))?;
    tar.finish().context("finish the tar stream")?;
    Ok(())
}

/// Write the container's filesystem as tar to a new file at `path`.
pub fn export_to_file(store: &Store, c: &Container, path: &Path) -> Result<()> {
    let mut f = fs_err::File::create(path)?;
    let res = export(store, c, &mut f);
    if res.is_err() {
        let _ = std::fs::remove_file(path);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_is_the_top_lower() {
        let d = readonly_overlay_data(Path::new("/c/upper"), &["/l1".into(), "/l2".into()]);
        assert_eq!(d, "lowerdir=/c/upper:/l2:/l1,userxattr");
    }
}
