//! A directory handle whose every path operation stays beneath it.
//!
//! Layer extraction works through [`DirFd`] only: a relative path is
//! resolved with `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
//! RESOLVE_NO_XDEV)`, so neither `..`, an absolute path, a symlink nor a
//! mount point can lead out of the directory, and every final component is
//! created or changed with an `*at` call that does not follow symlinks.

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::fcntl::{OFlag, OpenHow, ResolveFlag};
use nix::sys::stat::{Mode, SFlag};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid};

fn nix_err(e: nix::Error) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

fn confined() -> ResolveFlag {
    ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_SYMLINKS | ResolveFlag::RESOLVE_NO_XDEV
}

/// A single path component: no `/`, not empty, not `.` or `..`.
fn check_name(name: &OsStr) -> io::Result<()> {
    let b = name.as_bytes();
    if b.is_empty() || b == b"." || b == b".." || b.contains(&b'/') || b.contains(&0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a single path component",
        ));
    }
    Ok(())
}

/// An open directory; see the module documentation.
#[derive(Debug)]
pub struct DirFd(OwnedFd);

impl AsFd for DirFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl DirFd {
    /// Open an existing directory by absolute path (a final symlink is refused).
    pub fn open(path: &Path) -> io::Result<DirFd> {
        let fd = nix::fcntl::open(
            path,
            OFlag::O_DIRECTORY | OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOFOLLOW,
            Mode::empty(),
        )
        .map_err(nix_err)?;
        // SAFETY: open returned a fresh descriptor that nothing else owns.
        Ok(DirFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    fn raw(&self) -> RawFd {
        self.0.as_raw_fd()
    }

    fn openat2(&self, rel: &Path, flags: OFlag, mode: Mode) -> io::Result<OwnedFd> {
        let rel: &Path = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let how = OpenHow::new()
            .flags(flags | OFlag::O_CLOEXEC)
            .mode(mode)
            .resolve(confined());
        let fd = nix::fcntl::openat2(self.raw(), rel, how).map_err(nix_err)?;
        // SAFETY: openat2 returned a fresh descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// Open the directory `rel` beneath this one; fails with `ELOOP` when a
    /// component is a symlink and `EXDEV` when it would leave the directory.
    pub fn open_dir(&self, rel: &Path) -> io::Result<DirFd> {
        self.openat2(rel, OFlag::O_DIRECTORY | OFlag::O_RDONLY, Mode::empty())
            .map(DirFd)
    }

    /// Create the regular file `name` (which must not exist) for writing.
    pub fn create_file(&self, name: &OsStr, mode: u32) -> io::Result<File> {
        check_name(name)?;
        let fd = self.openat2(
            Path::new(name),
            OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_WRONLY | OFlag::O_NOFOLLOW,
            Mode::from_bits_truncate(mode & 0o777),
        )?;
        Ok(File::from(fd))
    }

    /// Create the directory `name`.
    pub fn mkdir(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        check_name(name)?;
        nix::sys::stat::mkdirat(
            Some(self.raw()),
            name,
            Mode::from_bits_truncate(mode & 0o7777),
        )
        .map_err(nix_err)
    }

    /// Create the symlink `name` with the verbatim `target` (never followed here).
    pub fn symlink(&self, target: &OsStr, name: &OsStr) -> io::Result<()> {
        check_name(name)?;
        nix::unistd::symlinkat(target, Some(self.raw()), name).map_err(nix_err)
    }

    /// Create `name` as a hard link to `src_name` in `src_dir` (a symlink
    /// source is linked itself, not followed).
    pub fn hardlink(&self, src_dir: &DirFd, src_name: &OsStr, name: &OsStr) -> io::Result<()> {
        check_name(name)?;
        check_name(src_name)?;
        nix::unistd::linkat(
            Some(src_dir.raw()),
            src_name,
            Some(self.raw()),
            name,
            nix::fcntl::AtFlags::empty(),
        )
        .map_err(nix_err)
    }

    /// Create an overlay whiteout: a character device 0/0 named `name`.
    pub fn whiteout(&self, name: &OsStr) -> io::Result<()> {
        check_name(name)?;
        nix::sys::stat::mknodat(Some(self.raw()), name, SFlag::S_IFCHR, Mode::empty(), 0)
            .map_err(nix_err)
    }

    /// Create the FIFO `name`.
    pub fn mkfifo(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        check_name(name)?;
        nix::unistd::mkfifoat(
            Some(self.raw()),
            name,
            Mode::from_bits_truncate(mode & 0o777),
        )
        .map_err(nix_err)
    }

    /// Change the owner of `name` without following a symlink.
    pub fn lchown(&self, name: &OsStr, uid: u32, gid: u32) -> io::Result<()> {
        check_name(name)?;
        nix::unistd::fchownat(
            Some(self.raw()),
            name,
            Some(Uid::from_raw(uid)),
            Some(Gid::from_raw(gid)),
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        )
        .map_err(nix_err)
    }

    /// Set the mode of the non-symlink `name` (checked with `O_PATH|O_NOFOLLOW`).
    pub fn chmod(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        check_name(name)?;
        let fd = self.openat2(
            Path::new(name),
            OFlag::O_PATH | OFlag::O_NOFOLLOW,
            Mode::empty(),
        )?;
        // chmod through the O_PATH descriptor's /proc link: the inode we
        // checked, not whatever the name points to later.
        let proc = format!("/proc/self/fd/{}", fd.as_raw_fd());
        nix::sys::stat::fchmodat(
            None,
            proc.as_str(),
            Mode::from_bits_truncate(mode & 0o7777),
            nix::sys::stat::FchmodatFlags::FollowSymlink,
        )
        .map_err(nix_err)
    }

    /// Set atime and mtime of `name` (seconds, nanoseconds) without following a symlink.
    pub fn set_times(&self, name: &OsStr, secs: i64, nanos: i64) -> io::Result<()> {
        check_name(name)?;
        let ts = TimeSpec::new(secs, nanos);
        nix::sys::stat::utimensat(
            Some(self.raw()),
            name,
            &ts,
            &ts,
            nix::sys::stat::UtimensatFlags::NoFollowSymlink,
        )
        .map_err(nix_err)
    }

    /// Set this directory's own atime and mtime.
    pub fn set_own_times(&self, secs: i64, nanos: i64) -> io::Result<()> {
        let ts = TimeSpec::new(secs, nanos);
        nix::sys::stat::futimens(self.raw(), &ts, &ts).map_err(nix_err)
    }

    /// The type bits (`S_IFMT`) of `name`, not following a symlink; `None`
    /// when it does not exist.
    pub fn kind(&self, name: &OsStr) -> io::Result<Option<u32>> {
        check_name(name)?;
        match nix::sys::stat::fstatat(
            Some(self.raw()),
            name,
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        ) {
            Ok(st) => Ok(Some(st.st_mode & libc::S_IFMT)),
            Err(nix::Error::ENOENT) => Ok(None),
            Err(e) => Err(nix_err(e)),
        }
    }

    /// Remove `name` whatever it is (a directory with its contents).
    pub fn remove(&self, name: &OsStr) -> io::Result<()> {
        check_name(name)?;
        match nix::unistd::unlinkat(
            Some(self.raw()),
            name,
            nix::unistd::UnlinkatFlags::NoRemoveDir,
        ) {
            Ok(()) => Ok(()),
            Err(nix::Error::EISDIR) => {
                let child = self.open_dir(Path::new(name))?;
                child.clear()?;
                nix::unistd::unlinkat(
                    Some(self.raw()),
                    name,
                    nix::unistd::UnlinkatFlags::RemoveDir,
                )
                .map_err(nix_err)
            }
            Err(e) => Err(nix_err(e)),
        }
    }

    /// Remove everything inside this directory.
    pub fn clear(&self) -> io::Result<()> {
        let names: Vec<std::ffi::OsString> = {
            use std::os::fd::IntoRawFd;
            // `Dir` takes ownership of the duplicate and closes it.
            let dup = self.0.try_clone()?.into_raw_fd();
            let mut dir = nix::dir::Dir::from_fd(dup).map_err(nix_err)?;
            dir.iter()
                .filter_map(Result::ok)
                .map(|e| OsStr::from_bytes(e.file_name().to_bytes()).to_os_string())
                .filter(|n| n != "." && n != "..")
                .collect()
        };
        for n in names {
            self.remove(&n)?;
        }
        Ok(())
    }

    /// Flush the filesystem this directory lives on (syncfs(2)).
    pub fn syncfs(&self) -> io::Result<()> {
        // SAFETY: syncfs takes a descriptor we own for the duration of the call.
        let ret = unsafe { libc::syncfs(self.raw()) };
        if ret < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

/// Set the extended attribute `name` on the open file or directory `fd`.
pub fn set_xattr(fd: BorrowedFd<'_>, name: &str, value: &[u8]) -> io::Result<()> {
    let n = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `n` is NUL-terminated and `value` is a live slice of the given
    // length; both outlive the call, and fd is a valid open descriptor.
    let ret = unsafe {
        libc::fsetxattr(
            fd.as_raw_fd(),
            n.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Read the extended attribute `name` of `path` (not following a final symlink).
pub fn get_xattr(path: &Path, name: &str) -> io::Result<Option<Vec<u8>>> {
    let p = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let n = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut buf = vec![0u8; 4096];
    // SAFETY: both strings are NUL-terminated and `buf` is a writable buffer
    // of the given length, all alive for the call.
    let ret =
        unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if ret < 0 {
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::ENODATA) {
            return Ok(None);
        }
        return Err(err);
    }
    buf.truncate(ret as usize);
    Ok(Some(buf))
}
