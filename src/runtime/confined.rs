//! Path resolution confined to a root directory with `openat2`
//! (`RESOLVE_IN_ROOT`): symlinks and `..` in an image can never lead
//! outside its root filesystem (CVE-2021-30465, CVE-2024-9676 class).

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustix::fs::{FileType, Mode, OFlags, ResolveFlags};

/// Open `path` (interpreted inside `root`) with `flags`.
pub fn open(
    root: impl AsFd,
    path: &Path,
    flags: OFlags,
    no_symlinks: bool,
) -> rustix::io::Result<OwnedFd> {
    let mut resolve = ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS;
    if no_symlinks {
        resolve |= ResolveFlags::NO_SYMLINKS;
    }
    let rel = relative(path);
    let rel = if rel.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &rel
    };
    rustix::fs::openat2(root, rel, flags | OFlags::CLOEXEC, Mode::empty(), resolve)
}

fn relative(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::RootDir | Component::CurDir))
        .collect()
}

/// Open the root directory itself as an `O_PATH` descriptor.
pub fn open_root(root: &Path) -> Result<OwnedFd> {
    rustix::fs::open(
        root,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("open root filesystem `{}`", root.display()))
}

/// Read a small file inside `root`; `None` when it does not exist.
pub fn read_file(root: &Path, path: &Path) -> Result<Option<String>> {
    let dir = open_root(root)?;
    match open(&dir, path, OFlags::RDONLY, false) {
        Ok(fd) => {
            let mut s = String::new();
            std::fs::File::from(fd)
                .take(16 << 20)
                .read_to_string(&mut s)
                .with_context(|| format!("read `{}` in `{}`", path.display(), root.display()))?;
            Ok(Some(s))
        }
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => {
            Err(e).with_context(|| format!("open `{}` in `{}`", path.display(), root.display()))
        }
    }
}

/// Whether `path` inside `root` is an overlay whiteout (a 0/0 character
/// device, as extracted layers store deletions); never opens the device.
pub fn is_whiteout(root: &Path, path: &Path) -> Result<bool> {
    let dir = open_root(root)?;
    match open(&dir, path, OFlags::PATH | OFlags::NOFOLLOW, false) {
        Ok(fd) => {
            let st = rustix::fs::fstat(&fd)
                .with_context(|| format!("stat `{}` in `{}`", path.display(), root.display()))?;
            Ok(rustix::fs::FileType::from_raw_mode(st.st_mode)
                == rustix::fs::FileType::CharacterDevice
                && st.st_rdev == 0)
        }
        Err(rustix::io::Errno::NOENT) | Err(rustix::io::Errno::NOTDIR) => Ok(false),
        Err(e) => {
            Err(e).with_context(|| format!("open `{}` in `{}`", path.display(), root.display()))
        }
    }
}

/// What a missing mount target should be created as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
}

/// Open (creating it and its parents when missing) the mount target
/// `path` inside `root` as an `O_PATH` descriptor. Symlinks on the way are
/// resolved inside the root, as the container would see them (an image's
/// `/data -> /host/dir` leads to the root's own `/host/dir`, created there
/// when missing); with `no_symlinks` any symlink is refused instead (for
/// `/proc`, `/sys`, `/dev`...). The final open refuses symlinks, and the
/// caller mounts through the descriptor, so swapping a component for a
/// symlink after the walk cannot redirect the mount (CVE-2021-30465).
pub fn mount_target(
    root: impl AsFd,
    path: &Path,
    kind: Kind,
    no_symlinks: bool,
) -> Result<OwnedFd> {
    let root = root.as_fd();
    match open(root, path, OFlags::PATH, no_symlinks) {
        Ok(fd) => return Ok(fd),
        Err(rustix::io::Errno::NOENT) => {}
        Err(rustix::io::Errno::LOOP) | Err(rustix::io::Errno::XDEV) => bail!(
            "mount target `{}` in the container is a symbolic link: refusing to follow it",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("open mount target `{}`", path.display())),
    }
    let resolved = resolve_creating(root, path, kind, no_symlinks)?;
    open(root, &resolved, OFlags::PATH, true).map_err(|e| {
        anyhow::Error::new(e).context(format!("open mount target `{}`", path.display()))
    })
}

/// Walk `path` inside `root` component by component, following symlinks
/// inside the root and creating what is missing; gives the symlink-free
/// path reached (relative to the root).
fn resolve_creating(
    root: BorrowedFd<'_>,
    path: &Path,
    kind: Kind,
    no_symlinks: bool,
) -> Result<PathBuf> {
    use std::collections::VecDeque;
    let mut pending: VecDeque<std::ffi::OsString> = relative(path)
        .components()
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    let mut cur = PathBuf::new();
    let mut links = 0;
    let mut steps = 0;
    while let Some(name) = pending.pop_front() {
        steps += 1;
        if steps > 4096 {
            bail!(
                "mount target `{}` in the container keeps changing while it is resolved",
                path.display()
            );
        }
        if name == ".." {
            cur.pop();
            continue;
        }
        let parent = open(root, &cur, OFlags::PATH | OFlags::DIRECTORY, true)
            .with_context(|| format!("open `/{}` in the container", cur.display()))?;
        match rustix::fs::statat(&parent, &name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Symlink => {
                if no_symlinks {
                    bail!(
                        "mount target `{}` in the container goes through the symbolic link `/{}`: refusing to follow it",
                        path.display(),
                        cur.join(&name).display()
                    );
                }
                links += 1;
                if links > 40 {
                    bail!(
                        "mount target `{}` in the container: too many symbolic links",
                        path.display()
                    );
                }
                let target = rustix::fs::readlinkat(&parent, &name, Vec::new())
                    .with_context(|| format!("read link `/{}`", cur.join(&name).display()))?;
                let target = PathBuf::from(std::ffi::OsStr::from_bytes(target.as_bytes()));
                if target.is_absolute() {
                    cur = PathBuf::new();
                }
                for c in target
                    .components()
                    .rev()
                    .filter(|c| !matches!(c, Component::RootDir | Component::CurDir))
                {
                    pending.push_front(c.as_os_str().to_os_string());
                }
            }
            Ok(_) => cur.push(&name),
            Err(rustix::io::Errno::NOENT) => {
                let res = if pending.is_empty() && kind == Kind::File {
                    rustix::fs::openat(
                        &parent,
                        &name,
                        OFlags::CREATE
                            | OFlags::EXCL
                            | OFlags::NOFOLLOW
                            | OFlags::WRONLY
                            | OFlags::CLOEXEC,
                        Mode::from_raw_mode(0o644),
                    )
                    .map(drop)
                } else {
                    rustix::fs::mkdirat(&parent, &name, Mode::from_raw_mode(0o755))
                };
                match res {
                    Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                    Err(e) => {
                        return Err(e).with_context(|| {
                            format!(
                                "create mount target `/{}` in the container",
                                cur.join(&name).display()
                            )
                        });
                    }
                }
                // Looked at again: it may be a symlink made meanwhile.
                pending.push_front(name);
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("stat `/{}` in the container", cur.join(&name).display())
                });
            }
        }
    }
    Ok(cur)
}

/// `/proc/self/fd/N` for an fd, the path by which mount(2) reaches it.
pub fn fd_path(fd: impl AsFd) -> PathBuf {
    use std::os::fd::AsRawFd;
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rctl-confined-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn mount_targets_behind_symlinks_are_made_inside_the_root() {
        let base = tmp("targets");
        let root = base.join("root");
        let outside = base.join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        // Absolute and climbing symlinks that point at the host's directory.
        std::os::unix::fs::symlink(&outside, root.join("abs")).unwrap();
        std::os::unix::fs::symlink("../../../../..", root.join("up")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        let fd = open_root(&root).unwrap();
        let rel_outside = outside.strip_prefix("/").unwrap();
        mount_target(&fd, Path::new("/abs/sub"), Kind::Dir, false).unwrap();
        assert!(root.join(rel_outside).join("sub").is_dir());
        mount_target(&fd, Path::new("/up/etc/file"), Kind::File, false).unwrap();
        assert!(root.join("etc/file").is_file());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert!(mount_target(&fd, Path::new("/loop/x"), Kind::Dir, false).is_err());
        let e = mount_target(&fd, Path::new("/abs/other"), Kind::Dir, true).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        let _ = std::fs::remove_dir_all(&base);
    }
}
