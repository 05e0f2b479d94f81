//! A container's changes — its overlay upper directory — as an OCI layer
//! tar stream, for `commit`. Overlay whiteouts (0/0 character devices)
//! become `.wh.NAME` entries and opaque directories (`user.overlay.opaque`,
//! rootless overlay with `userxattr`) get a `.wh..wh..opq` entry. Nothing is
//! followed: symlinks are stored as links, files are opened `O_NOFOLLOW`,
//! and hard links are kept only between files of the upper directory.
//! Must run inside rctl's user namespace so that owners read as the
//! container sees them.

use fs_err::os::unix::fs::OpenOptionsExt;
use std::collections::HashMap;
use std::fs::Metadata;
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::store::layer::OPAQUE_XATTR;

const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE_MARKER: &str = ".wh..wh..opq";

/// What one file of the upper directory becomes in the layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A whiteout: the lower file `path` is deleted (`.wh.NAME`).
    Deleted,
    Dir {
        opaque: bool,
    },
    File,
    /// A second name of a file already written at this path.
    HardLink(PathBuf),
    Symlink(PathBuf),
    Fifo,
    /// Device nodes and sockets: a rootless user cannot create them.
    Skipped,
}

/// Classify an entry by its metadata (`opaque` is read only for dirs).
pub fn classify(meta: &Metadata, opaque: impl FnOnce() -> bool) -> Change {
    let ft = meta.file_type();
    if ft.is_char_device() && meta.rdev() == 0 {
        Change::Deleted
    } else if ft.is_dir() {
        Change::Dir { opaque: opaque() }
    } else if ft.is_file() {
        Change::File
    } else if ft.is_fifo() {
        Change::Fifo
    } else {
        Change::Skipped
    }
}

/// The tar name of a whiteout for `rel` (`dir/.wh.name`).
pub fn whiteout_name(rel: &Path) -> PathBuf {
    let name = rel.file_name().unwrap_or_default();
    let mut wh = std::ffi::OsString::from(WHITEOUT_PREFIX);
    wh.push(name);
    rel.with_file_name(wh)
}

/// Write the changes in `upper` as an uncompressed tar stream to `out`.
pub fn write_layer(upper: &Path, out: impl Write) -> Result<()> {
    let mut writer = Writer {
        upper: upper.to_path_buf(),
        tar: tar::Builder::new(out),
        links: HashMap::new(),
    };
    writer.tar.follow_symlinks(false);
    writer.dir(Path::new(""))?;
    writer
        .tar
        .into_inner()
        .context("finish the layer tar stream")?
        .flush()
        .context("write the layer tar stream")?;
    Ok(())
}

struct Writer<W: Write> {
    upper: PathBuf,
    tar: tar::Builder<W>,
    /// (dev, ino) of files with several links → the first name written.
    links: HashMap<(u64, u64), PathBuf>,
}

fn header(meta: &Metadata, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(meta.mode() & 0o7777);
    h.set_uid(meta.uid().into());
    h.set_gid(meta.gid().into());
    h.set_mtime(meta.mtime().max(0) as u64);
    h.set_size(0);
    h
}

impl<W: Write> Writer<W> {
    /// Write the entries of the directory `rel` (relative to upper), sorted.
    fn dir(&mut self, rel: &Path) -> Result<()> {
        let path = self.upper.join(rel);
        let mut names: Vec<_> = fs_err::read_dir(&path)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<io::Result<_>>()
            .with_context(|| format!("read directory `{}`", path.display()))?;
        names.sort();
        for name in names {
            self.entry(&rel.join(name))?;
        }
        Ok(())
    }

    fn entry(&mut self, rel: &Path) -> Result<()> {
        let path = self.upper.join(rel);
        let meta = fs_err::symlink_metadata(&path)?;
        let change = if meta.file_type().is_symlink() {
            Change::Symlink(fs_err::read_link(&path)?)
        } else {
            classify(&meta, || crate::sys::has_xattr(&path, OPAQUE_XATTR))
        };
        let change = match change {
            Change::File if meta.nlink() > 1 => match self.links.get(&(meta.dev(), meta.ino())) {
                Some(first) => Change::HardLink(first.clone()),
                None => {
                    self.links
                        .insert((meta.dev(), meta.ino()), rel.to_path_buf());
                    Change::File
                }
            },
            other => other,
        };
        let named = |e: io::Error| {
            anyhow::Error::new(e).context(format!("add `{}` to the layer", rel.display()))
        };
        use tar::EntryType as T;
        match change {
            Change::Deleted => {
                let mut h = header(&meta, T::Regular);
                h.set_mode(0o600);
                self.tar
                    .append_data(&mut h, whiteout_name(rel), io::empty())
                    .map_err(named)?;
            }
            Change::Dir { opaque } => {
                let mut h = header(&meta, T::Directory);
                self.tar
                    .append_data(&mut h, rel, io::empty())
                    .map_err(named)?;
                if opaque {
                    let mut h = header(&meta, T::Regular);
                    h.set_mode(0o600);
                    self.tar
                        .append_data(&mut h, rel.join(OPAQUE_MARKER), io::empty())
                        .map_err(named)?;
                }
                self.dir(rel)?;
            }
            Change::File => {
                let file = fs_err::OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&path)?;
                let opened = file.metadata()?;
                if !opened.is_file() || opened.ino() != meta.ino() {
                    bail!(
                        "`{}` changed while the layer was written; try again (pause or stop the container first)",
                        path.display()
                    );
                }
                let mut h = header(&opened, T::Regular);
                h.set_size(opened.len());
                // A file that grows meanwhile is cut at the size read here.
                let reader = io::Read::take(file, opened.len());
                self.tar.append_data(&mut h, rel, reader).map_err(named)?;
            }
            Change::HardLink(first) => {
                let mut h = header(&meta, T::Link);
                self.tar.append_link(&mut h, rel, first).map_err(named)?;
            }
            Change::Symlink(target) => {
                let mut h = header(&meta, T::Symlink);
                self.tar.append_link(&mut h, rel, target).map_err(named)?;
            }
            Change::Fifo => {
                let mut h = header(&meta, T::Fifo);
                self.tar
                    .append_data(&mut h, rel, io::empty())
                    .map_err(named)?;
            }
            Change::Skipped => {
                log::warn!(
                    "`{}`: device node or socket not committed (a rootless user cannot create them)",
                    rel.display()
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whiteout_names() {
        assert_eq!(
            whiteout_name(Path::new("etc/motd")),
            Path::new("etc/.wh.motd")
        );
        assert_eq!(whiteout_name(Path::new("x")), Path::new(".wh.x"));
    }

    /// A tree as the layer sees it: (name, type, link target).
    fn entries(tar_bytes: &[u8]) -> Vec<(String, char, String)> {
        let mut a = tar::Archive::new(tar_bytes);
        a.entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let link = e
                    .link_name()
                    .unwrap()
                    .map(|l| l.display().to_string())
                    .unwrap_or_default();
                (
                    e.path().unwrap().display().to_string(),
                    e.header().entry_type().as_byte() as char,
                    link,
                )
            })
            .collect()
    }

    #[test]
    fn upper_dir_becomes_a_layer() {
        let dir = std::env::temp_dir().join(format!("rctl-changes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("etc/sub")).unwrap();
        std::fs::write(dir.join("etc/new"), "hi").unwrap();
        std::fs::hard_link(dir.join("etc/new"), dir.join("etc/new2")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.join("etc/out")).unwrap();
        std::os::unix::fs::symlink("../..", dir.join("etc/sub/up")).unwrap();
        let mut out = Vec::new();
        write_layer(&dir, &mut out).unwrap();
        let got = entries(&out);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            got,
            [
                ("etc".into(), '5', "".into()),
                ("etc/new".into(), '0', "".into()),
                ("etc/new2".into(), '1', "etc/new".into()),
                ("etc/out".into(), '2', "/etc/passwd".into()),
                ("etc/sub".into(), '5', "".into()),
                ("etc/sub/up".into(), '2', "../..".into()),
            ]
        );
    }
}
