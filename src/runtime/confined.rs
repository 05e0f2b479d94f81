//! Path resolution confined to a root directory with `openat2`
//! (`RESOLVE_IN_ROOT`): symlinks and `..` in an image can never lead
//! outside its root filesystem (CVE-2021-30465, CVE-2024-9676 class).

use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustix::fs::{Mode, OFlags, ResolveFlags};

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
/// `path` inside `root` as an `O_PATH` descriptor. With `no_symlinks`
/// any symlink on the way is refused (for `/proc`, `/sys`, `/dev`...).
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
    let rel = relative(path);
    let mut cur = PathBuf::new();
    let comps: Vec<_> = rel.components().collect();
    for (i, c) in comps.iter().enumerate() {
        let parent = open(root, &cur, OFlags::PATH | OFlags::DIRECTORY, no_symlinks)
            .with_context(|| format!("open `/{}` in the container", cur.display()))?;
        let last = i + 1 == comps.len();
        let name = c.as_os_str();
        let res = if last && kind == Kind::File {
            rustix::fs::openat(
                &parent,
                name,
                OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::WRONLY | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o644),
            )
            .map(drop)
        } else {
            rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o755))
        };
        match res {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "create mount target `/{}` in the container",
                        cur.join(name).display()
                    )
                });
            }
        }
        cur.push(name);
    }
    open(root, path, OFlags::PATH, no_symlinks).map_err(|e| match e {
        rustix::io::Errno::NOENT | rustix::io::Errno::LOOP => anyhow::anyhow!(
            "mount target `{}` in the container is a dangling or unsafe symbolic link",
            path.display()
        ),
        e => anyhow::Error::new(e).context(format!("open mount target `{}`", path.display())),
    })
}

/// `/proc/self/fd/N` for an fd, the path by which mount(2) reaches it.
pub fn fd_path(fd: impl AsFd) -> PathBuf {
    use std::os::fd::AsRawFd;
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd()))
}
