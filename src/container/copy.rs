//! `cp` between the host and a container, confined to the container's
//! root: every path inside the container is opened with
//! `openat2(RESOLVE_IN_ROOT)` and walked with `O_NOFOLLOW`, so a symlink in
//! the container can never lead a read or a write to the host
//! (CVE-2021-30465 class). Modes are preserved; symlinks are copied as
//! symlinks.

use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nix::mount::{MntFlags, MsFlags};
use rustix::fs::{FileType, Mode, OFlags};

use super::store::Store;
use super::{Container, Status, lifecycle};
use crate::runtime::{RootfsSource, confined, mounts};

/// The container's root while a copy runs (unmounted on drop when rctl
/// had to mount it).
pub struct Root {
    pub fd: OwnedFd,
    mounted: Option<PathBuf>,
}

impl Drop for Root {
    fn drop(&mut self) {
        if let Some(p) = &self.mounted {
            let _ = nix::mount::umount2(p, MntFlags::MNT_DETACH);
        }
    }
}

/// Open the container's root: the live root of a running container, the
/// directory of a `--rootfs` one, or its overlay mounted for the copy.
pub fn open_root(store: &Store, c: &Container) -> Result<Root> {
    let c = lifecycle::refresh(store, c)?;
    if c.state.status == Status::Running {
        let pid = c.state.pid.context("running container without pid")?;
        return Ok(Root {
            fd: confined::open_root(Path::new(&format!("/proc/{pid}/root")))?,
            mounted: None,
        });
    }
    match &c.config.rootfs {
        RootfsSource::Dir(d) => Ok(Root {
            fd: confined::open_root(d)?,
            mounted: None,
        }),
        source @ RootfsSource::Layers { .. } => {
            let dir = store.dir_of(&c.id);
            let merged = dir.join("merged");
            mounts::mount_rootfs(
                source,
                &merged,
                &mounts::OverlayDirs {
                    upper: dir.join("upper"),
                    work: dir.join("work"),
                },
            )?;
            let root = Root {
                fd: confined::open_root(&merged)?,
                mounted: Some(merged),
            };
            // Keep our mount private to this namespace and this copy.
            let _ = nix::mount::mount(
                None::<&str>,
                root.mounted.as_deref().unwrap_or(Path::new("/")),
                None::<&str>,
                MsFlags::MS_PRIVATE,
                None::<&str>,
            );
            crate::crashpoint::crashpoint("cp.root-mounted");
            Ok(root)
        }
    }
}

fn file_type(fd: impl AsFd) -> Result<(FileType, u32)> {
    let st = rustix::fs::fstat(fd).context("stat")?;
    Ok((FileType::from_raw_mode(st.st_mode), st.st_mode & 0o7777))
}

/// Copy `src` (inside the container) to `dest` on the host. When `dest` is
/// an existing directory, the copy goes inside it.
pub fn copy_out(root: &Root, src: &Path, dest: &Path) -> Result<()> {
    confined::open(&root.fd, src, OFlags::PATH | OFlags::NOFOLLOW, false)
        .with_context(|| format!("`{}` in the container", src.display()))?;
    let name = src
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let target = if dest.is_dir() {
        dest.join(name)
    } else {
        dest.to_path_buf()
    };
    let parent = confined::open(
        &root.fd,
        src.parent().unwrap_or(Path::new("/")),
        OFlags::PATH | OFlags::DIRECTORY,
        false,
    )?;
    let leaf = src
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| ".".into());
    copy_out_entry(parent.as_fd(), Path::new(&leaf), &target)
}

fn copy_out_entry(dir: std::os::fd::BorrowedFd<'_>, name: &Path, target: &Path) -> Result<()> {
    let fd = rustix::fs::openat(
        dir,
        name,
        OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("open `{}` in the container", name.display()))?;
    let (ft, mode) = file_type(&fd)?;
    match ft {
        FileType::Symlink => {
            let link = rustix::fs::readlinkat(dir, name, Vec::new()).context("read a symlink")?;
            let link = std::ffi::OsStr::new(std::str::from_utf8(link.as_bytes()).unwrap_or(""));
            let _ = std::fs::remove_file(target);
            std::os::unix::fs::symlink(link, target)
                .with_context(|| format!("create symlink `{}`", target.display()))?;
        }
        FileType::Directory => {
            let d = rustix::fs::openat(
                dir,
                name,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            if !target.is_dir() {
                fs_err::create_dir(target)?;
            }
            let names: Vec<_> = rustix::fs::Dir::read_from(&d)
                .context("list a directory")?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_bytes().to_vec())
                .filter(|n| n != b"." && n != b"..")
                .collect();
            for n in names {
                let n = PathBuf::from(String::from_utf8_lossy(&n).into_owned());
                copy_out_entry(d.as_fd(), &n, &target.join(&n))?;
            }
            fs_err::set_permissions(target, std::fs::Permissions::from_mode(mode))?;
        }
        FileType::RegularFile => {
            let f = rustix::fs::openat(
                dir,
                name,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let mut src = std::fs::File::from(f);
            let mut out = fs_err::File::create(target)?;
            std::io::copy(&mut src, &mut out)
                .with_context(|| format!("write `{}`", target.display()))?;
            fs_err::set_permissions(target, std::fs::Permissions::from_mode(mode))?;
        }
        other => bail!(
            "`{}` is a {other:?}: only files, directories and symlinks are copied",
            name.display()
        ),
    }
    Ok(())
}

/// Copy `src` on the host into the container at `dest`. When `dest` is an
/// existing directory in the container, the copy goes inside it.
pub fn copy_in(root: &Root, src: &Path, dest: &Path) -> Result<()> {
    let meta = fs_err::symlink_metadata(src)?;
    let (parent, leaf) =
        match confined::open(&root.fd, dest, OFlags::RDONLY | OFlags::DIRECTORY, false) {
            Ok(d) => (
                d,
                src.file_name()
                    .map(PathBuf::from)
                    .context("source has no file name")?,
            ),
            Err(_) => {
                let parent = dest.parent().unwrap_or(Path::new("/"));
                let d = confined::open(&root.fd, parent, OFlags::RDONLY | OFlags::DIRECTORY, false)
                    .with_context(|| format!("`{}` in the container", parent.display()))?;
                (
                    d,
                    dest.file_name()
                        .map(PathBuf::from)
                        .context("destination has no file name")?,
                )
            }
        };
    copy_in_entry(src, &meta, parent.as_fd(), &leaf)
}

fn copy_in_entry(
    src: &Path,
    meta: &std::fs::Metadata,
    dir: std::os::fd::BorrowedFd<'_>,
    name: &Path,
) -> Result<()> {
    let ft = meta.file_type();
    let mode = Mode::from_raw_mode(meta.mode() & 0o7777);
    if ft.is_symlink() {
        let link = fs_err::read_link(src)?;
        let _ = rustix::fs::unlinkat(dir, name, rustix::fs::AtFlags::empty());
        rustix::fs::symlinkat(&link, dir, name)
            .with_context(|| format!("create symlink `{}` in the container", name.display()))?;
    } else if ft.is_dir() {
        match rustix::fs::mkdirat(dir, name, mode) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("create `{}` in the container", name.display()));
            }
        }
        let d = rustix::fs::openat(
            dir,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .with_context(|| format!("`{}` in the container is not a directory", name.display()))?;
        for e in fs_err::read_dir(src)? {
            let e = e?;
            let m = fs_err::symlink_metadata(e.path())?;
            copy_in_entry(&e.path(), &m, d.as_fd(), Path::new(&e.file_name()))?;
        }
        rustix::fs::fchmod(&d, mode).context("set a directory's mode")?;
    } else if ft.is_file() {
        // O_NOFOLLOW: an existing symlink at the target is refused, never followed.
        let f = rustix::fs::openat(
            dir,
            name,
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            mode,
        )
        .with_context(|| format!("create `{}` in the container", name.display()))?;
        let mut out = std::fs::File::from(f);
        let mut input = fs_err::File::open(src)?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .with_context(|| format!("write `{}` in the container", name.display()))?;
        }
        rustix::fs::fchmod(out.as_fd(), mode).context("set a file's mode")?;
    } else {
        bail!("`{}` is not a file, directory or symlink", src.display());
    }
    Ok(())
}
