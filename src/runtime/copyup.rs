//! Populating an empty volume from the image on first use (Docker's
//! behaviour for `VOLUME` and `-v NAME:/path`): after the root filesystem
//! is mounted and before any other mount, the content at each listed
//! destination is copied into the volume's directory. The source is opened
//! with `RESOLVE_IN_ROOT` and walked with `O_NOFOLLOW`, so a symlink in the
//! image never leads the copy to read host files; owners and modes are kept.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use anyhow::{Context, Result};
use oci_spec::runtime::Spec;
use rustix::fs::{AtFlags, FileType, Gid, Mode, OFlags, Uid};

use super::confined;
use crate::volume::plan::COPY_UP_ANNOTATION;

/// Copy the image's content into every empty volume the spec lists.
pub fn run(root: &OwnedFd, spec: &Spec) -> Result<()> {
    let Some(list) = spec
        .annotations()
        .as_ref()
        .and_then(|a| a.get(COPY_UP_ANNOTATION))
    else {
        return Ok(());
    };
    let dests: Vec<String> = serde_json::from_str(list)
        .with_context(|| format!("parse annotation {COPY_UP_ANNOTATION}"))?;
    for dest in dests {
        let Some(source) = spec
            .mounts()
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|m| m.destination() == Path::new(&dest))
            .and_then(|m| m.source().clone())
        else {
            continue;
        };
        populate(root, Path::new(&dest), &source)
            .with_context(|| format!("populate the volume on `{dest}` from the image"))?;
    }
    Ok(())
}

fn open_dir(dir: impl AsFd, name: &Path) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn names(dir: &OwnedFd) -> Result<Vec<Vec<u8>>> {
    Ok(rustix::fs::Dir::read_from(dir)
        .context("list a directory")?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_bytes().to_vec())
        .filter(|n| n != b"." && n != b"..")
        .collect())
}

/// Copy the content of `dest` in the root into `data` when `data` is empty.
fn populate(root: &OwnedFd, dest: &Path, data: &Path) -> Result<()> {
    let target = open_dir(rustix::fs::CWD, data)
        .with_context(|| format!("open volume directory `{}`", data.display()))?;
    if !names(&target)?.is_empty() {
        return Ok(());
    }
    let src = match confined::open(
        root,
        dest,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        false,
    ) {
        Ok(fd) => fd,
        // Nothing in the image there (or not a directory): nothing to copy.
        Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR | rustix::io::Errno::LOOP) => {
            return Ok(());
        }
        Err(e) => return Err(e).context("open the image's directory"),
    };
    copy_dir(&src, &target)?;
    // The volume's root takes the image directory's owner and mode.
    let st = rustix::fs::fstat(&src).context("stat the image's directory")?;
    set_owner_mode(target.as_fd(), st.st_uid, st.st_gid, st.st_mode)
}

fn set_owner_mode(fd: BorrowedFd<'_>, uid: u32, gid: u32, mode: u32) -> Result<()> {
    rustix::fs::fchown(fd, Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid)))
        .context("set an owner")?;
    rustix::fs::fchmod(fd, Mode::from_raw_mode(mode & 0o7777)).context("set a mode")?;
    Ok(())
}

fn copy_dir(src: &OwnedFd, dst: &OwnedFd) -> Result<()> {
    for name in names(src)? {
        let name = Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&name));
        let st = rustix::fs::statat(src, name, AtFlags::SYMLINK_NOFOLLOW)
            .with_context(|| format!("stat `{}`", name.display()))?;
        let mode = Mode::from_raw_mode(st.st_mode & 0o7777);
        match FileType::from_raw_mode(st.st_mode) {
            FileType::Directory => {
                // EXIST: another container filling the same volume at once.
                match rustix::fs::mkdirat(dst, name, Mode::from_raw_mode(0o700)) {
                    Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                    Err(e) => {
                        return Err(e).with_context(|| format!("create `{}`", name.display()));
                    }
                }
                let s = open_dir(src, name)?;
                let d = open_dir(dst, name)?;
                copy_dir(&s, &d)?;
                set_owner_mode(d.as_fd(), st.st_uid, st.st_gid, st.st_mode)?;
            }
            FileType::RegularFile => {
                let s = rustix::fs::openat(
                    src,
                    name,
                    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )?;
                let d = match rustix::fs::openat(
                    dst,
                    name,
                    OFlags::WRONLY
                        | OFlags::CREATE
                        | OFlags::EXCL
                        | OFlags::NOFOLLOW
                        | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o600),
                ) {
                    Ok(d) => d,
                    Err(rustix::io::Errno::EXIST) => continue,
                    Err(e) => {
                        return Err(e).with_context(|| format!("create `{}`", name.display()));
                    }
                };
                let mut d = std::fs::File::from(d);
                std::io::copy(&mut std::fs::File::from(s), &mut d)
                    .with_context(|| format!("copy `{}`", name.display()))?;
                // Owner first: a chown clears set-id bits.
                set_owner_mode(d.as_fd(), st.st_uid, st.st_gid, st.st_mode)?;
            }
            FileType::Symlink => {
                let link = rustix::fs::readlinkat(src, name, Vec::new())?;
                match rustix::fs::symlinkat(link.as_c_str(), dst, name) {
                    Ok(()) => {}
                    Err(rustix::io::Errno::EXIST) => continue,
                    Err(e) => {
                        return Err(e)
                            .with_context(|| format!("create symlink `{}`", name.display()));
                    }
                }
                rustix::fs::chownat(
                    dst,
                    name,
                    Some(Uid::from_raw(st.st_uid)),
                    Some(Gid::from_raw(st.st_gid)),
                    AtFlags::SYMLINK_NOFOLLOW,
                )?;
            }
            FileType::Fifo => {
                rustix::fs::mknodat(dst, name, FileType::Fifo, mode, 0)?;
            }
            // Devices and sockets are not volume content.
            _ => {}
        }
    }
    Ok(())
}
